package io.freehold.controlplane.billing;

import java.util.TimeZone;

import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Billing's Quartz job and trigger, stored in the clustered JDBC job store (V14) and replaced at every start
 * ({@code spring.quartz.overwrite-existing-jobs}) so a changed cron takes effect.
 *
 * <p>Misfire policy: {@code MISFIRE_INSTRUCTION_DO_NOTHING}. A firing missed while every replica was down or busy is
 * not run late; the next regular one runs. Nothing is lost: the watch rates the month as it stands whenever it runs
 * and records every threshold reached since, so a late run would only find the same thresholds a little earlier.
 */
@Configuration(proxyBeanMethods = false)
class BillingJobs {

    static final String BUDGET_WATCH = "budget-watch";
    static final String GROUP = "billing";

    @Bean
    JobDetail budgetWatchJob() {
        return JobBuilder.newJob(BudgetWatchJob.class)
                .withIdentity(BUDGET_WATCH, GROUP)
                .withDescription("records the budget thresholds each tenant's month has reached, each once, with an audit event")
                .storeDurably()
                .build();
    }

    @Bean
    Trigger budgetWatchTrigger(JobDetail budgetWatchJob, BillingProperties properties) {
        return TriggerBuilder.newTrigger()
                .forJob(budgetWatchJob)
                .withIdentity(BUDGET_WATCH, GROUP)
                .withSchedule(CronScheduleBuilder.cronSchedule(properties.budgets().cron())
                        .inTimeZone(TimeZone.getTimeZone("UTC"))
                        .withMisfireHandlingInstructionDoNothing())
                .build();
    }
}
