package dev.vse.model;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;

/** EM's {@code <Error Message StatusCode Status>} body (XSD {@code ErrorType}). */
@XmlRootElement(name = "Error")
public class EmError {
    @XmlAttribute(name = "Message") private String message;
    @XmlAttribute(name = "StatusCode") private Integer statusCode;
    @XmlAttribute(name = "Status") private String status;
    @XmlElement(name = "FirstChanceExceptionMessage") private String firstChanceExceptionMessage;
    @XmlElement(name = "StackTrace") private String stackTrace;

    public EmError() { }

    public EmError(int statusCode, String status, String message) {
        this.statusCode = statusCode;
        this.status = status;
        this.message = message;
    }

    public String getMessage() { return message; }
    public Integer getStatusCode() { return statusCode; }
    public String getStatus() { return status; }
    public String getFirstChanceExceptionMessage() { return firstChanceExceptionMessage; }
    public String getStackTrace() { return stackTrace; }
}
