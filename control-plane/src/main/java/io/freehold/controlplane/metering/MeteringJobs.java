package io.freehold.controlplane.metering;

import java.util.TimeZone;

import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Metering's Quartz job and trigger, stored in the clustered JDBC job store (V14) and replaced at every start
 * ({@code spring.quartz.overwrite-existing-jobs}) so a changed cron takes effect.
 *
 * <p>Misfire policy: {@code MISFIRE_INSTRUCTION_DO_NOTHING}. A firing missed while every replica was down or busy
 * is not run late; the next regular firing runs. Nothing is lost: the sweep and the recompute re-derive everything
 * from the lifecycle log as of the moment they run, so one late run and one on time give the same rows, and a burst
 * of catch-up runs after downtime would only repeat the work.
 */
@Configuration(proxyBeanMethods = false)
class MeteringJobs {

    static final String SWEEP = "usage-sweep";
    static final String GROUP = "metering";

    @Bean
    JobDetail usageSweepJob() {
        return JobBuilder.newJob(UsageSweepJob.class)
                .withIdentity(SWEEP, GROUP)
                .withDescription("queues every instance whose usage hours are not all settled for a recompute")
                .storeDurably()
                .build();
    }

    @Bean
    Trigger usageSweepTrigger(JobDetail usageSweepJob, MeteringProperties properties) {
        return TriggerBuilder.newTrigger()
                .forJob(usageSweepJob)
                .withIdentity(SWEEP, GROUP)
                .withSchedule(CronScheduleBuilder.cronSchedule(properties.sweep().cron())
                        .inTimeZone(TimeZone.getTimeZone("UTC"))
                        .withMisfireHandlingInstructionDoNothing())
                .build();
    }
}
