package dev.vse.model;

/** The bytes EM sent are not a document of the expected shape (broken XML, DTD, wrong root, bad value). */
public class MalformedXmlException extends RuntimeException {
    public MalformedXmlException(String message, Throwable cause) {
        super(message, cause);
    }
}
