package dev.vse.model;

import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;

/** A per-VM / per-machine task of a backup job session; {@code VmUid} only in recent EM versions. */
@XmlRootElement(name = "BackupTaskSession")
public class BackupTaskSession extends TaskSession {
    @XmlElement(name = "VmUid") private String vmUid;

    public String getVmUid() { return vmUid; }
    public void setVmUid(String vmUid) { this.vmUid = vmUid; }
}
