package io.refinery.warehouse;

import io.refinery.warehouse.test.WarehouseTest;

/** The contract suite on the embedded engine (chDB behind the loopback endpoint): always runs. */
@WarehouseTest
class EmbeddedWarehouseContractTest extends WarehouseContractSuite {
}
