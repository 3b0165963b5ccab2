/** Shared checks of the deployables' logging setup ({@code LOG_FORMAT}). */
package dev.twikitorders.testfixtures.logging;
