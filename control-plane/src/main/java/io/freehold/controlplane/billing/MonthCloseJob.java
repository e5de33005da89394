package io.freehold.controlplane.billing;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * The Quartz job of month close ({@link BillingJobs}): runs {@link MonthClose#closeEnded} on whichever replica of the
 * cluster fires it, never two at once. A month left open by a failure or a missed firing is closed by the next one.
 */
@DisallowConcurrentExecution
public class MonthCloseJob implements Job {

    private final MonthClose monthClose;

    MonthCloseJob(MonthClose monthClose) {
        this.monthClose = monthClose;
    }

    @Override
    public void execute(JobExecutionContext context) {
        monthClose.closeEnded();
    }
}
