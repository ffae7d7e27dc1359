package io.refinery.ops.demo;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The reference data of the demo world and the hidden parameters behind it: which SKU sells how
 * much where, from which supplier, with which seasonality and life cycle. Built once per seed.
 */
final class Catalog {

    /** A product category: demand shape (weekday profile Monday first, yearly peak) and who supplies it. */
    record Category(String name, String unit, String[] nouns, double minPrice, double maxPrice, double[] weekday,
            int yearlyPeakDayOfYear, double yearlyAmplitude, double[] channelShares, int[] supplierPool) {
    }

    record Location(int index, String id, String name, String region, double size) {
    }

    /**
     * A supplier's lead-time behaviour: lognormal around {@code medianLeadDays} with log-sd
     * {@code sigma}; {@code lunarNewYear} and {@code augustHolidays} mark seasonal slowdowns.
     */
    record Supplier(int index, String id, String name, String country, double medianLeadDays, double sigma,
            boolean lunarNewYear, boolean augustHolidays) {
    }

    /**
     * A SKU and its demand parameters. {@code baseRate} is units per day at an average location
     * (for intermittent SKUs: order occurrences per day); launch/discontinuation may be null.
     */
    record Product(int index, String sku, String name, Category category, double listPrice, double baseRate,
            double annualGrowth, boolean intermittent, LocalDate launch, LocalDate discontinued, int primarySupplier,
            int secondarySupplier, double promoElasticity, boolean carriedEverywhere) {

        boolean hasSecondarySupplier() {
            return secondarySupplier >= 0;
        }
    }

    static final String[] CHANNELS = {"store", "online", "b2b"};

    private static final double[] RETAIL_WEEK = {0.85, 0.85, 0.9, 0.95, 1.15, 1.35, 0.95};
    private static final double[] WEEKEND_WEEK = {0.8, 0.8, 0.85, 0.9, 1.1, 1.5, 1.05};
    private static final double[] FLAT_WEEK = {1.0, 0.95, 0.95, 1.0, 1.05, 1.1, 0.95};
    private static final double[] OFFICE_WEEK = {1.45, 1.35, 1.2, 1.15, 1.0, 0.5, 0.35};

    private static final List<Category> CATEGORIES = List.of(
            new Category("Beverages", "case", new String[] {"Sparkling Water", "Cola", "Iced Tea", "Orange Juice",
                    "Lemonade", "Energy Drink"}, 4, 18, WEEKEND_WEEK, 196, 0.35, new double[] {0.7, 0.3, 0.0},
                    new int[] {0, 4, 8}),
            new Category("Snacks", "box", new String[] {"Potato Chips", "Pretzels", "Granola Bar", "Salted Nuts",
                    "Chocolate Bar", "Crackers"}, 1.5, 8, WEEKEND_WEEK, 355, 0.2, new double[] {0.75, 0.25, 0.0},
                    new int[] {0, 3, 9}),
            new Category("Dairy", "each", new String[] {"Whole Milk", "Yogurt", "Butter", "Cheddar", "Cream",
                    "Kefir"}, 0.9, 6, RETAIL_WEEK, 100, 0.05, new double[] {0.85, 0.15, 0.0}, new int[] {0, 4}),
            new Category("Frozen", "case", new String[] {"Ice Cream", "Frozen Pizza", "Fish Fingers", "Frozen Peas",
                    "Sorbet", "Waffles"}, 3, 14, WEEKEND_WEEK, 200, 0.45, new double[] {0.8, 0.2, 0.0},
                    new int[] {4, 8, 9}),
            new Category("Household", "each", new String[] {"Dish Soap", "Laundry Detergent", "Paper Towels",
                    "Trash Bags", "Sponges", "Glass Cleaner"}, 2, 15, FLAT_WEEK, 90, 0.1,
                    new double[] {0.55, 0.3, 0.15}, new int[] {1, 3, 11}),
            new Category("Personal Care", "each", new String[] {"Shampoo", "Toothpaste", "Hand Soap", "Sunscreen",
                    "Deodorant", "Lip Balm"}, 2, 20, RETAIL_WEEK, 180, 0.15, new double[] {0.6, 0.4, 0.0},
                    new int[] {1, 6, 11}),
            new Category("Garden", "each", new String[] {"Garden Hose", "Potting Soil", "Seed Mix", "Pruning Shears",
                    "Planter", "Lawn Fertilizer"}, 5, 60, WEEKEND_WEEK, 125, 0.85, new double[] {0.65, 0.35, 0.0},
                    new int[] {2, 5, 7}),
            new Category("Heating", "each", new String[] {"Space Heater", "Wood Pellets", "Hot Water Bottle",
                    "Thermal Socks", "Radiator Valve", "Electric Blanket"}, 8, 120, RETAIL_WEEK, 5, 0.8,
                    new double[] {0.5, 0.4, 0.1}, new int[] {2, 5, 10}),
            new Category("Toys", "each", new String[] {"Building Blocks", "Puzzle", "Plush Bear", "Board Game",
                    "Toy Car", "Craft Kit"}, 6, 80, WEEKEND_WEEK, 352, 0.75, new double[] {0.45, 0.55, 0.0},
                    new int[] {5, 7, 10}),
            new Category("Office", "pack", new String[] {"Copy Paper", "Ballpoint Pens", "Sticky Notes", "Folders",
                    "Printer Toner", "Staples"}, 2, 90, OFFICE_WEEK, 250, 0.2, new double[] {0.2, 0.2, 0.6},
                    new int[] {1, 6, 11}));

    private static final String[] VARIANTS = {"Classic", "Premium", "Eco", "Family", "Mini", "Max", "Plus", "Lite"};

    private static final List<Location> LOCATION_POOL = List.of(
            new Location(0, "LOC01", "Hamburg DC", "North", 1.4),
            new Location(1, "LOC02", "Berlin Hub", "East", 1.2),
            new Location(2, "LOC03", "Munich DC", "South", 1.3),
            new Location(3, "LOC04", "Cologne DC", "West", 1.1),
            new Location(4, "LOC05", "Frankfurt Hub", "Central", 1.0),
            new Location(5, "LOC06", "Leipzig Hub", "East", 0.7),
            new Location(6, "LOC07", "Stuttgart Hub", "South", 0.8),
            new Location(7, "LOC08", "Hanover Hub", "North", 0.6),
            new Location(8, "LOC09", "Nuremberg Hub", "South", 0.6),
            new Location(9, "LOC10", "Bremen Hub", "North", 0.5));

    private static final List<Supplier> SUPPLIER_POOL = List.of(
            new Supplier(0, "SUP01", "Nordquell Getränke GmbH", "DE", 4, 0.2, false, false),
            new Supplier(1, "SUP02", "Kraków Household Sp. z o.o.", "PL", 8, 0.22, false, false),
            new Supplier(2, "SUP03", "Ningbo Home & Garden Co.", "CN", 42, 0.18, true, false),
            new Supplier(3, "SUP04", "Hollandse Snacks B.V.", "NL", 6, 0.2, false, false),
            new Supplier(4, "SUP05", "Alpenmilch AG", "AT", 5, 0.2, false, false),
            new Supplier(5, "SUP06", "Saigon Craft Manufacturing", "VN", 48, 0.2, true, false),
            new Supplier(6, "SUP07", "Milano Cura S.p.A.", "IT", 11, 0.22, false, true),
            new Supplier(7, "SUP08", "Anatolia Garden Ltd.", "TR", 16, 0.2, false, false),
            new Supplier(8, "SUP09", "Iberia Frío S.L.", "ES", 10, 0.22, false, true),
            new Supplier(9, "SUP10", "Brno Foods s.r.o.", "CZ", 7, 0.2, false, false),
            new Supplier(10, "SUP11", "Shenzhen Joy Toys Ltd.", "CN", 38, 0.2, true, false),
            new Supplier(11, "SUP12", "Pune Office Supplies Pvt.", "IN", 35, 0.22, false, false));

    private final List<Category> categories;
    private final List<Product> products;
    private final List<Location> locations;
    private final List<Supplier> suppliers;
    private final boolean[][] carried;

    Catalog(DemoConfig config) {
        this.categories = CATEGORIES;
        this.locations = LOCATION_POOL.subList(0, config.locations());
        this.suppliers = SUPPLIER_POOL;
        this.products = new ArrayList<>(config.skus());
        for (int i = 0; i < config.skus(); i++) {
            products.add(product(config, i));
        }
        this.carried = new boolean[config.skus()][config.locations()];
        for (Product product : products) {
            SplittableRandom random = Rng.of(config.seed(), 11, product.index());
            boolean any = false;
            for (Location location : locations) {
                boolean stocked = product.carriedEverywhere() || random.nextDouble() < 0.6;
                carried[product.index()][location.index()] = stocked;
                any |= stocked;
            }
            if (!any) {
                carried[product.index()][random.nextInt(locations.size())] = true;
            }
        }
    }

    private Product product(DemoConfig config, int index) {
        SplittableRandom random = Rng.of(config.seed(), 10, index);
        Category category = categories.get(index % categories.size());
        String noun = category.nouns()[(index / categories.size()) % category.nouns().length];
        String variant = VARIANTS[random.nextInt(VARIANTS.length)];
        String sku = "SKU%04d".formatted(index + 1);
        double price = Math.round(Rng.uniform(random, category.minPrice(), category.maxPrice()) * 100) / 100.0;
        boolean intermittent = random.nextDouble() < 0.2;
        double baseRate = intermittent
                ? Rng.uniform(random, 0.03, 0.25)
                : Math.min(40, Math.exp(Math.log(3) + 0.8 * random.nextGaussian()));
        long historyDays = config.catalogEnd().toEpochDay() - config.catalogStart().toEpochDay();
        LocalDate launch = null;
        LocalDate discontinued = null;
        double lifecycle = random.nextDouble();
        if (lifecycle < 0.1) {
            launch = config.catalogStart().plusDays(120 + random.nextLong(Math.max(1, historyDays - 270)));
        } else if (lifecycle < 0.18) {
            discontinued = config.catalogStart().plusDays(200 + random.nextLong(Math.max(1, historyDays - 260)));
        }
        int[] pool = category.supplierPool();
        int primary = pool[random.nextInt(pool.length)];
        int secondary = -1;
        if (random.nextDouble() < 0.2) {
            secondary = pool[(indexOf(pool, primary) + 1 + random.nextInt(pool.length - 1)) % pool.length];
        }
        return new Product(index, sku, variant + " " + noun, category, price, baseRate,
                Rng.uniform(random, -0.15, 0.3), intermittent, launch, discontinued, primary, secondary,
                Rng.uniform(random, 2.0, 3.5), !intermittent && baseRate > 6);
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        throw new IllegalArgumentException(value + " not in pool");
    }

    List<Product> products() {
        return products;
    }

    List<Location> locations() {
        return locations;
    }

    List<Supplier> suppliers() {
        return suppliers;
    }

    boolean carries(Product product, Location location) {
        return carried[product.index()][location.index()];
    }
}
