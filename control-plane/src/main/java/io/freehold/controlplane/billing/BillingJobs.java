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
 * Billing's Quartz jobs and triggers, stored in the clustered JDBC job store (V14) and replaced at every start
 * ({@code spring.quartz.overwrite-existing-jobs}) so a changed cron takes effect.
 *
 * <p>Misfire policy: {@code MISFIRE_INSTRUCTION_DO_NOTHING} (decision 0003). A firing missed while every replica was
 * down or busy is not run late; the next regular one runs, and loses nothing: month close closes every ended month
 * not yet final, and the budget watch rates the month as it stands and records every threshold reached since.
 */
@Configuration(proxyBeanMethods = false)
class BillingJobs {

    static final String GROUP = "billing";
    static final String BUDGET_WATCH = "budget-watch";
    static final String MONTH_CLOSE = "month-close";

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
        return trigger(budgetWatchJob, BUDGET_WATCH, properties.budgets().cron());
    }

    @Bean
    JobDetail monthCloseJob() {
        return JobBuilder.newJob(MonthCloseJob.class)
                .withIdentity(MONTH_CLOSE, GROUP)
                .withDescription("closes every ended month into final, numbered invoices")
                .storeDurably()
                .build();
    }

    @Bean
    Trigger monthCloseTrigger(JobDetail monthCloseJob, BillingProperties properties) {
        return trigger(monthCloseJob, MONTH_CLOSE, properties.monthClose().cron());
    }

    private static Trigger trigger(JobDetail job, String name, String cron) {
        return TriggerBuilder.newTrigger()
                .forJob(job)
                .withIdentity(name, GROUP)
                .withSchedule(CronScheduleBuilder.cronSchedule(cron)
                        .inTimeZone(TimeZone.getTimeZone("UTC"))
                        .withMisfireHandlingInstructionDoNothing())
                .build();
    }
}
