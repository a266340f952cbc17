/**
 * The beans the YAML routes call, one per step of the flow: plan a cycle, fetch pages, read sessions,
 * detect changes, publish, commit, and park what cannot be processed.
 */
package dev.vse.pipeline;
