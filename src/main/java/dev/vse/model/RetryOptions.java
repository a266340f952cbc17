package dev.vse.model;

import jakarta.xml.bind.annotation.XmlElement;

/**
 * A job's automatic retry policy ({@code RetryOptions}, XSD {@code JobScheduleRetryOptionsType}): after a failed
 * run VBR starts up to {@code RetryTimes} new sessions, each {@code RetryTimeout} minutes after the previous one
 * ended, but only when {@code RetrySpecified} is true (VBR keeps the numbers when the option is switched off).
 */
public class RetryOptions {
    @XmlElement(name = "RetryTimes") private Integer retryTimes;
    @XmlElement(name = "RetryTimeout") private Integer retryTimeout;
    @XmlElement(name = "RetrySpecified") private Boolean retrySpecified;

    public RetryOptions() { }

    public RetryOptions(Integer retryTimes, Integer retryTimeout, Boolean retrySpecified) {
        this.retryTimes = retryTimes;
        this.retryTimeout = retryTimeout;
        this.retrySpecified = retrySpecified;
    }

    /** Number of retries after a failed run. */
    public Integer getRetryTimes() { return retryTimes; }
    /** Minutes between a failed run's end and the next retry. */
    public Integer getRetryTimeout() { return retryTimeout; }
    /** Whether automatic retries are on at all. */
    public Boolean getRetrySpecified() { return retrySpecified; }
}
