/** Checks that the published versions of each schema evolved under BACKWARD compatibility. */
package dev.twikitorders.registry.history;
