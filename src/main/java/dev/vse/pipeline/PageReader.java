package dev.vse.pipeline;

import dev.vse.model.JobSession;
import java.util.List;
import org.apache.camel.Exchange;

/** Hands the JAXB-parsed sessions of a page to detection, or refuses an unreadable page (→ DLQ). */
public final class PageReader {

    /** Body in: a {@link FetchedPage}. Body out: its sessions. */
    public List<JobSession> sessions(Exchange exchange) {
        FetchedPage page = exchange.getMessage().getBody(FetchedPage.class);
        exchange.setProperty(PageFetcher.PAGE, page);
        if (!page.readable()) {
            Throwable cause = page.error().getCause() != null ? page.error().getCause() : page.error();
            throw new UnreadableResponseException(page.emId(), page.request(), page.raw(),
                    "unreadable response: " + cause.getMessage(), page.error());
        }
        return page.sessions();
    }
}
