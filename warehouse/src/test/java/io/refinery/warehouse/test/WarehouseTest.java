package io.refinery.warehouse.test;

import io.refinery.warehouse.WarehouseConfiguration;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A test of warehouse beans on the real engine, in a database of its own. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringJUnitConfig(classes = WarehouseConfiguration.class, initializers = TestWarehouseInitializer.class)
public @interface WarehouseTest {
}
