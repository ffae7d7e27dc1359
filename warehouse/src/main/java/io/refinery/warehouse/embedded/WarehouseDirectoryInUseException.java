package io.refinery.warehouse.embedded;

import java.nio.file.Path;

/** A second process tried to open a warehouse directory that another process is writing. */
public final class WarehouseDirectoryInUseException extends IllegalStateException {

    WarehouseDirectoryInUseException(Path dataDir, String holder) {
        super("The warehouse directory " + dataDir + " is in use by another Refinery process ("
                + (holder.isBlank() ? "unknown pid" : holder) + "). Only one process may write it: stop the other"
                + " process, or set REFINERY_DATA_DIR to another directory.");
    }
}
