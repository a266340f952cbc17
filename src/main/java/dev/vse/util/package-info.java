/** Small helpers shared by several stages (and the simulator); nothing here knows about EM or Kafka. */
package dev.vse.util;
