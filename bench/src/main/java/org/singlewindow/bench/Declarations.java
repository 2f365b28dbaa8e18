package org.singlewindow.bench;

import org.singlewindow.contract.ResidentId;
import org.singlewindow.contract.reference.TariffTable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Realistic 1210 declarations: a catalogue of goods whose HS codes are entries of the tariff reference
 * data, a crowd of consumers with valid resident ID numbers, one or two lines per order kept under the
 * single-transaction limit, and amounts that agree across order, payment and waybill — the tax total
 * being the tax service's own quote for exactly those lines, asked once per distinct basket.
 */
final class Declarations {

    /** A good stocked in the bonded warehouse: its account record, tariff heading, price and weight. */
    record Product(String itemRecordNo, String itemNo, String hsCode, String name, String originCountry,
                   BigDecimal unitPrice, BigDecimal netWeightKg) {
    }

    static final String WAREHOUSE = "ZZBW01";
    /** Whose goods they are: the e-commerce enterprise of the sample declaration (party register). */
    static final String OWNER = "4101960002";
    /** The declarant (enterprise-a of the realm) and the parties of the sample declaration. */
    static final String DECLARANT = "4101960005";

    /** HS codes from the tariff reference data (hs-tariff.json); prices are typical retail prices in CNY. */
    static final List<Product> CATALOGUE = List.of(
            new Product("BNCH0402A", "SKU-MILK-800", "0402210000", "Whole milk powder, 800 g", "AUS", new BigDecimal("138.00"), new BigDecimal("0.80")),
            new Product("BNCH1901A", "SKU-FORMULA2-900", "1901101000", "Infant formula stage 2, 900 g", "NLD", new BigDecimal("168.00"), new BigDecimal("0.90")),
            new Product("BNCH2106A", "SKU-FISHOIL-200", "2106909090", "Fish oil capsules, 200 count", "NZL", new BigDecimal("199.00"), new BigDecimal("0.30")),
            new Product("BNCH4202A", "SKU-BAG-LTHR", "4202210000", "Leather handbag", "ITA", new BigDecimal("1890.00"), new BigDecimal("0.90")),
            new Product("BNCH6403A", "SKU-SHOE-LTHR", "6403990000", "Leather shoes", "ITA", new BigDecimal("860.00"), new BigDecimal("1.20")),
            new Product("BNCH6110A", "SKU-KNIT-COT", "6110200000", "Cotton pullover", "GBR", new BigDecimal("320.00"), new BigDecimal("0.40")),
            new Product("BNCH8509A", "SKU-BLENDER", "8509800000", "Hand blender", "DEU", new BigDecimal("560.00"), new BigDecimal("1.50")),
            new Product("BNCH9503A", "SKU-BLOCKS", "9503008900", "Building blocks set", "DNK", new BigDecimal("449.00"), new BigDecimal("1.00")),
            new Product("BNCH8517A", "SKU-PHONE", "8517130000", "Smartphone", "KOR", new BigDecimal("3999.00"), new BigDecimal("0.40")),
            new Product("BNCH7113A", "SKU-RING-GOLD", "7113191900", "Gold ring", "CHE", new BigDecimal("2300.00"), new BigDecimal("0.02")));

    private static final TariffTable TARIFF = TariffTable.bundled();

    /** A line's quantity in a legal unit: kilograms from the product's net weight, pieces (or pairs, sets) as counted. */
    private static BigDecimal legalQuantity(String unit, Product p, BigDecimal quantity) {
        return unit.equals("035") ? p.netWeightKg().multiply(quantity) : quantity;
    }

    private static final DateTimeFormatter PAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    /**
     * Goods value per order: under customs' manual-review threshold of the bundled risk rules (an order
     * near the CNY 5,000 limit waits for an officer, which a benchmark of the automated flow leaves out).
     */
    private static final BigDecimal LIMIT = new BigDecimal("4000.00");
    private static final String[] SURNAMES = {"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu"};
    private static final String[] GIVEN = {"Wei", "Fang", "Na", "Min", "Jing", "Lei", "Yang", "Jun", "Tao", "Yan", "Ping", "Hui"};
    private static final String[] STREETS = {"Jinshui Road", "Huayuan Road", "Zhongzhou Avenue", "Nongye Road", "Weilai Road"};

    private record Consumer(String name, String idNumber, String telephone, String address) {
    }

    private final SplittableRandom random;
    private final List<Consumer> consumers;
    private final String run;
    private final Function<ObjectNode, BigDecimal> quote;
    private final Map<String, BigDecimal> quotes = new ConcurrentHashMap<>();

    /**
     * @param consumers how many distinct consumers (each has an annual limit; more consumers, fewer refusals)
     * @param quote     the tax service's quote of {@code {items, freight, insurance}}: its total
     */
    Declarations(long seed, int consumers, String run, Function<ObjectNode, BigDecimal> quote) {
        this.random = new SplittableRandom(seed);
        this.run = run;
        this.quote = quote;
        List<Consumer> crowd = new ArrayList<>(consumers);
        for (int i = 0; i < consumers; i++) {
            String name = SURNAMES[random.nextInt(SURNAMES.length)] + " " + GIVEN[random.nextInt(GIVEN.length)];
            crowd.add(new Consumer(name, ResidentId.random(), "13" + (100000000 + random.nextInt(899999999)),
                    "No. " + (1 + random.nextInt(300)) + " " + STREETS[random.nextInt(STREETS.length)] + ", Zhengzhou, Henan"));
        }
        this.consumers = List.copyOf(crowd);
    }

    /** The {@code n}-th declaration of this run (thread-safe; order numbers derive from run and n). */
    ObjectNode next(int n) {
        SplittableRandom r;
        synchronized (random) {
            r = random.split();
        }
        Consumer consumer = consumers.get(r.nextInt(consumers.size()));
        List<Product> basket = new ArrayList<>();
        List<Integer> quantities = new ArrayList<>();
        // one or two lines, in catalogue order: a few hundred distinct baskets, each quoted once
        int first = r.nextInt(CATALOGUE.size());
        int second = r.nextInt(CATALOGUE.size());
        List<Integer> picks = r.nextBoolean() ? List.of(first) : List.of(Math.min(first, second), Math.max(first, second));
        BigDecimal goods = BigDecimal.ZERO;
        for (int pick : picks) {
            Product product = CATALOGUE.get(pick);
            int quantity = 1 + r.nextInt(2);
            BigDecimal line = product.unitPrice().multiply(BigDecimal.valueOf(quantity));
            if (basket.contains(product) || goods.add(line).compareTo(LIMIT) > 0) {
                continue;
            }
            basket.add(product);
            quantities.add(quantity);
            goods = goods.add(line);
        }
        if (basket.isEmpty()) {
            basket.add(CATALOGUE.getFirst());
            quantities.add(1);
            goods = CATALOGUE.getFirst().unitPrice();
        }
        BigDecimal freight = r.nextInt(4) == 0 ? new BigDecimal("12.00") : new BigDecimal("0.00");

        JsonNodeFactory f = JsonNodeFactory.instance;
        ArrayNode items = f.arrayNode();
        ArrayNode quoteItems = f.arrayNode();
        BigDecimal net = BigDecimal.ZERO;
        for (int i = 0; i < basket.size(); i++) {
            Product p = basket.get(i);
            BigDecimal quantity = BigDecimal.valueOf(quantities.get(i));
            ObjectNode line = items.addObject()
                    .put("gnum", i + 1)
                    .put("itemRecordNo", p.itemRecordNo())
                    .put("itemNo", p.itemNo())
                    .put("hsCode", p.hsCode())
                    .put("name", p.name())
                    .put("gmodel", p.name() + ", " + p.itemNo())
                    .put("originCountry", p.originCountry())
                    .put("quantity", quantity)
                    .put("unit", "007");
            // the legal quantities in the units the tariff names for the HS code
            List<String> legalUnits = TARIFF.find(p.hsCode()).orElseThrow().legalUnits();
            line.put("qty1", legalQuantity(legalUnits.getFirst(), p, quantity)).put("unit1", legalUnits.getFirst());
            if (legalUnits.size() > 1) {
                line.put("qty2", legalQuantity(legalUnits.get(1), p, quantity)).put("unit2", legalUnits.get(1));
            }
            line.put("unitPrice", p.unitPrice())
                    .put("totalPrice", p.unitPrice().multiply(quantity).setScale(2, RoundingMode.HALF_UP))
                    .put("currency", "CNY");
            quoteItems.addObject().put("hsCode", p.hsCode()).put("quantity", quantity).put("unit", "007")
                    .put("unitPrice", p.unitPrice());
            net = net.add(p.netWeightKg().multiply(quantity));
        }
        ObjectNode quoteRequest = f.objectNode();
        quoteRequest.set("items", quoteItems);
        quoteRequest.put("freight", freight).put("insurance", BigDecimal.ZERO);
        BigDecimal tax = quotes.computeIfAbsent(quoteRequest.toString(), k -> quote.apply(quoteRequest));
        BigDecimal paid = goods.add(freight).add(tax);

        String key = run + String.format(Locale.ROOT, "%08d", n);
        ObjectNode person = f.objectNode().put("name", consumer.name()).put("telephone", consumer.telephone())
                .put("address", consumer.address()).put("country", "CHN");
        ObjectNode d = f.objectNode();
        d.put("guid", UUID.randomUUID().toString());
        d.put("appType", "NEW");
        d.put("declarationType", "BONDED_IMPORT_1210");
        ObjectNode order = d.putObject("order")
                .put("orderNo", "BN" + key)
                .put("ebpCode", "4101960001").put("ebpName", "Zhengzhou Cross-border Mall")
                .put("ebcCode", "4101960002").put("ebcName", "Global Baby Goods Ltd")
                .put("goodsValue", goods).put("freight", freight).put("discount", new BigDecimal("0.00"))
                .put("taxTotal", tax).put("actualPaid", paid).put("currency", "CNY");
        order.putObject("buyer").put("name", consumer.name()).put("idType", "1").put("idNumber", consumer.idNumber())
                .put("telephone", consumer.telephone());
        order.set("consignee", person.deepCopy());
        d.set("items", items);
        d.putObject("payment")
                .put("payCode", "3101960003").put("payName", "Example Pay Co")
                .put("payTransactionId", "PAYBN" + key)
                .put("amountPaid", paid).put("currency", "CNY")
                .put("payerName", consumer.name()).put("payerIdType", "1").put("payerIdNumber", consumer.idNumber())
                .put("payTime", PAY_TIME.format(OffsetDateTime.now(ZoneOffset.ofHours(8)).minusMinutes(5)));
        ObjectNode logistics = d.putObject("logistics")
                .put("logisticsCode", "4101960004").put("logisticsName", "Central Plains Express")
                .put("logisticsNo", "WBBN" + key).put("warehouseCode", WAREHOUSE)
                .put("freight", freight).put("insuredFee", new BigDecimal("0.00"))
                .put("grossWeight", net.multiply(new BigDecimal("1.15")).setScale(2, RoundingMode.HALF_UP))
                .put("netWeight", net.setScale(2, RoundingMode.HALF_UP));
        logistics.set("consignee", person);
        d.putObject("declarant").put("agentCode", DECLARANT).put("agentName", "Henan Customs Brokerage")
                .put("customsCode", "4606");
        return d;
    }

    /** Distinct baskets quoted so far (each cost one call to the tax service). */
    int quoted() {
        return quotes.size();
    }
}
