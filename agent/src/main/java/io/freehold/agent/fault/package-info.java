/**
 * Named fault points: moments at which a fault test kills the agent with SIGKILL (docs/agent.md, "Fault points").
 * Nothing here runs unless the test arms a point through the environment.
 */
package io.freehold.agent.fault;
