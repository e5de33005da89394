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
 * Billing's Quartz jobs, in the clustered JDBC job store (V14), replaced at every start. Misfire policy: do nothing —
 * a missed firing is not run late; the next one closes every month the missed one would have (decision 0003).
 */
@Configuration(proxyBeanMethods = false)
class BillingJobs {

    static final String GROUP = "billing";
    static final String MONTH_CLOSE = "month-close";

    @Bean
    JobDetail monthCloseJob() {
        return JobBuilder.newJob(MonthCloseJob.class)
                .withIdentity(MONTH_CLOSE, GROUP)
                .withDescription("closes every ended month into final, numbered invoices")
                .storeDurably()
                .build();
    }

    @Bean
    Trigger monthCloseTrigger(JobDetail monthCloseJob, MonthCloseProperties properties) {
        return TriggerBuilder.newTrigger()
                .forJob(monthCloseJob)
                .withIdentity(MONTH_CLOSE, GROUP)
                .withSchedule(CronScheduleBuilder.cronSchedule(properties.cron())
                        .inTimeZone(TimeZone.getTimeZone("UTC"))
                        .withMisfireHandlingInstructionDoNothing())
                .build();
    }
}
