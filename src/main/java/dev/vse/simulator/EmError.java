package dev.vse.simulator;

/** Thrown by handlers to answer with an EM {@code <Error>} body. */
final class EmError extends RuntimeException {
    final int status;

    EmError(int status, String message) {
        super(message);
        this.status = status;
    }

    /** .NET {@code HttpStatusCode} names, as the WCF-hosted EM would put in {@code Status}. */
    static String statusName(int status) {
        switch (status) {
            case 400: return "BadRequest";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "NotFound";
            case 405: return "MethodNotAllowed";
            case 500: return "InternalServerError";
            case 501: return "NotImplemented";
            case 502: return "BadGateway";
            case 503: return "ServiceUnavailable";
            case 504: return "GatewayTimeout";
            default: return "Status" + status;
        }
    }

    static String reason(int status) {
        switch (status) {
            case 500: return "Internal server error (simulated fault).";
            case 503: return "The service is temporarily unavailable (simulated fault).";
            default: return "Simulated fault " + status + ".";
        }
    }
}
