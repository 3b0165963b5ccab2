/**
 * Command-line pieces every deployable shares (picocli): the {@code --config}/{@code --set} options
 * ({@link dev.twikitorders.settings.cli.SourceOptions}) and the {@code settings} listing ({@link
 * dev.twikitorders.settings.cli.SettingsPrinter}). Stateless apart from the parsed options.
 */
package dev.twikitorders.settings.cli;
