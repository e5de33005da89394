package io.freehold.controlplane.metering;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * The Quartz job of the metering sweep ({@link MeteringJobs}): runs {@link UsageSweep#enqueueUnsettled} on
 * whichever replica of the cluster fires it. Never two at once in the cluster; a failure is left to the next firing,
 * which re-derives everything anyway.
 */
@DisallowConcurrentExecution
public class UsageSweepJob implements Job {

    private final UsageSweep sweep;

    UsageSweepJob(UsageSweep sweep) {
        this.sweep = sweep;
    }

    @Override
    public void execute(JobExecutionContext context) {
        sweep.enqueueUnsettled();
    }
}
