package dev.vse.model;

import jakarta.xml.bind.annotation.XmlElement;

/**
 * The {@code JobScheduleOptions} of a job entity, reduced to what this project reads: the retry policy. Veeam's
 * field table ({@code jobscheduleoptions.md}) lists {@code RetryOptions} as a direct child, while every GET example
 * of a job entity ({@code jobs_id.md}, {@code agents_jobs_id.md}, {@code nas_jobs_id.md}) nests it in
 * {@code <Standart>} (sic); both are read, the nested one wins. Immediate backup copy jobs carry
 * {@code ImmediateCopyMode} instead and no retry options ({@code get_jobs_id.md}, examples 2 and 3).
 */
public class JobScheduleOptions {
    @XmlElement(name = "Standart") private Standard standard;
    @XmlElement(name = "RetryOptions") private RetryOptions retryOptions;

    /** The {@code <Standart>} block of a scheduled (not continuous-copy) job. */
    public static class Standard {
        @XmlElement(name = "RetryOptions") private RetryOptions retryOptions;

        public Standard() { }

        public Standard(RetryOptions retryOptions) { this.retryOptions = retryOptions; }

        public RetryOptions getRetryOptions() { return retryOptions; }
    }

    public JobScheduleOptions() { }

    /** Options shaped like the documented GET examples: {@code <Standart><RetryOptions>}. */
    public static JobScheduleOptions standard(RetryOptions retry) {
        JobScheduleOptions o = new JobScheduleOptions();
        o.standard = new Standard(retry);
        return o;
    }

    public Standard getStandard() { return standard; }

    /** {@code Standart/RetryOptions}, else a direct {@code RetryOptions}; null when the job has neither. */
    public RetryOptions getRetryOptions() {
        return standard != null && standard.getRetryOptions() != null ? standard.getRetryOptions() : retryOptions;
    }
}
