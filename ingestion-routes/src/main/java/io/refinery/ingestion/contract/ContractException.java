package io.refinery.ingestion.contract;

/** A contract definition that cannot be used. */
public class ContractException extends RuntimeException {

    public ContractException(String message) {
        super(message);
    }
}
