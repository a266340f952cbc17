package dev.vse.simulator;

/** A status and a (possibly empty) model object to marshal; extra headers are added by the caller. */
record HttpReply(int status, Object body) {
    static HttpReply ok(Object body) {
        return new HttpReply(200, body);
    }
}
