package dev.vse.model;

import jakarta.xml.bind.annotation.XmlRootElement;

/** A VM backup, backup copy or replication job entity ({@code <Job>}, {@code /jobs/{ID}?format=Entity}). */
@XmlRootElement(name = "Job")
public class Job extends JobEntity {
}
