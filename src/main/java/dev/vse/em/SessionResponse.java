package dev.vse.em;

import dev.vse.model.JobSession;

/**
 * A job session read by its {@code Href}: the raw answer (so that the bytes can be dead-lettered) and its parsed form.
 *
 * @param response the raw 2xx answer
 * @param session  the backup or replica job session it holds
 */
public record SessionResponse(EmResponse response, JobSession session) { }
