package io.refinery.forecasting.run;

/** The code that produced a run: the artifact version, or "dev" when run from classes. */
final class CodeVersion {

    private static final String VERSION = resolve();

    private CodeVersion() {
    }

    static String current() {
        return VERSION;
    }

    private static String resolve() {
        String version = CodeVersion.class.getPackage().getImplementationVersion();
        return "refinery-forecasting " + (version == null ? "dev" : version);
    }
}
