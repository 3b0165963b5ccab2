/** A real headless browser (Debian's chromium via Selenium) for the status-page tests. */
package dev.twikitorders.testfixtures.browser;
