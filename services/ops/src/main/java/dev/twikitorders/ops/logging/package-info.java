/**
 * The logging setup shared by the deployables: {@code logback-base.xml} in this package (included
 * by each application's {@code logback.xml}) writes logs to stderr as plain text, or as one JSON
 * object per line when {@code LOG_FORMAT=json} ({@link
 * dev.twikitorders.ops.logging.LogFormatDefiner}); {@link dev.twikitorders.ops.logging.LogContext}
 * puts the order, event, line and configuration ids into the MDC around a log call.
 */
package dev.twikitorders.ops.logging;
