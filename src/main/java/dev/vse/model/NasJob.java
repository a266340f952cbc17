package dev.vse.model;

import jakarta.xml.bind.annotation.XmlRootElement;

/**
 * A file share backup job entity ({@code <NASJob Type="NasJob">}, {@code /nas/jobs/{ID}?format=Entity}). The
 * documented example has no {@code JobType} element, so {@link #getJobType()} is null for it.
 */
@XmlRootElement(name = "NASJob")
public class NasJob extends JobEntity {
}
