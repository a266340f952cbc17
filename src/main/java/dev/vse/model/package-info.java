/**
 * JAXB model of the Veeam Backup Enterprise Manager REST API, namespace {@code http://www.veeam.com/ent/v1.0}.
 *
 * <p>Tolerant by design: unknown elements and attributes are ignored, {@code State} and {@code Result}
 * are open strings, {@code EndTimeUTC} may be absent and timestamps carry 0 to 7 fractional digits.
 * Parse through {@link dev.vse.model.EmXml}, which refuses DTDs and external entities.
 */
@XmlSchema(namespace = EmXml.NS, elementFormDefault = XmlNsForm.QUALIFIED,
        xmlns = @XmlNs(prefix = "", namespaceURI = EmXml.NS))
@XmlAccessorType(XmlAccessType.FIELD)
package dev.vse.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlNs;
import jakarta.xml.bind.annotation.XmlNsForm;
import jakarta.xml.bind.annotation.XmlSchema;
