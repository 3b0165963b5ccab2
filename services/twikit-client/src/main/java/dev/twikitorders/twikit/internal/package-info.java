/** Implementation of the Twikit client. Not API: classes here may change in any release. */
package dev.twikitorders.twikit.internal;
