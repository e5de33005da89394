package io.freehold.controlplane.billing;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * The Quartz job of the budget watch ({@link BillingJobs}): runs {@link BudgetWatch#checkAll} on whichever replica of
 * the cluster fires it. Never two at once in the cluster; a tenant that fails is left to the next firing.
 */
@DisallowConcurrentExecution
public class BudgetWatchJob implements Job {

    private final BudgetWatch watch;

    BudgetWatchJob(BudgetWatch watch) {
        this.watch = watch;
    }

    @Override
    public void execute(JobExecutionContext context) {
        watch.checkAll();
    }
}
