/**
 * Tests that break things on purpose: EM misbehaving ({@code EmMisbehaviourIT}), hostile XML
 * ({@code HostileXmlTest}, {@code HostileXmlIT}) and mutation fuzzing of EM bodies through the real
 * {@code direct:process-page} route ({@code FuzzPipelineIT}, seeded; the seed is printed).
 *
 * <p>Run one class: {@code mvn -o -q verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=EmMisbehaviourIT -Dfailsafe.failIfNoSpecifiedTests=false}. A long fuzzing run (1,000,000 inputs,
 * optionally a fixed seed):
 * <pre>
 * mvn -o verify -Dit.test=FuzzPipelineIT -Dfuzz.inputs=1000000 -Dfuzz.seed=42 \
 *     -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
 * </pre>
 * {@code -Dfuzz.max-huge=N} sets the largest inserted value (default 1,200,000 chars, above Kafka's 1 MiB limit).
 */
package dev.vse.faults;
