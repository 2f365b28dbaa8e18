package org.singlewindow.logistics.stock;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.singlewindow.contract.Violation;
import org.singlewindow.contract.reference.PartyRegister;
import org.singlewindow.kit.reference.ReferenceData;
import org.singlewindow.identity.Roles;
import org.singlewindow.kit.security.Tenant;
import org.singlewindow.kit.web.ApiException;
import org.singlewindow.kit.web.IdempotencyKeys;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Goods entering the bonded zone (a stock-in, what CEB711 carries) and the accounts' levels. Only the
 * warehouse's operator (party register) records a stock-in, into the account of the goods' owner (a
 * registered e-commerce enterprise). Levels are shown to the warehouse's operator (every owner's), to an
 * owner and the declaring agents it authorised (its own accounts only), and to logistics officers and
 * administrators. A stock-in needs an Idempotency-Key: the same key with the same body stocks in once
 * and answers the same; with another body it is a conflict.
 */
@Tag(name = "Bonded stock", description = "Goods into the bonded warehouse, and the stock levels.")
@RestController
class StockController {

    private static final Pattern CODE = Pattern.compile("[0-9A-Za-z_-]{1,32}");
    private static final Pattern OWNER = Pattern.compile("[0-9A-Z]{10}");
    private static final Pattern BATCH = Pattern.compile("[0-9A-Za-z_./-]{1,64}");
    private static final BigDecimal MAX_QUANTITY = new BigDecimal("100000000");

    private final BondedStock stock;
    private final JdbcClient jdbc;
    private final ReferenceData<PartyRegister> parties;

    StockController(BondedStock stock, JdbcClient jdbc, ReferenceData<PartyRegister> parties) {
        this.stock = stock;
        this.jdbc = jdbc;
        this.parties = parties;
    }

    /** One line of a stock-in: the item's account record, the quantity, its batch. */
    record Line(String itemRecordNo, BigDecimal quantity, String batchNo) {
    }

    /** A stock-in: the operator files it for the owner of the goods. */
    record StockIn(String warehouseCode, String ownerCode, List<Line> items) {
    }

    record StockInResult(UUID stockInId, String warehouseCode, String ownerCode, OffsetDateTime filedAt,
                         List<BondedStock.Level> levels) {
    }

    @PostMapping(path = "/api/v1/logistics/stock-ins", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Transactional
    ResponseEntity<StockInResult> stockIn(@RequestBody StockIn request, @AuthenticationPrincipal Jwt token,
                                          @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        String enterprise = Tenant.enterpriseId(token);
        IdempotencyKeys.required(idempotencyKey, "a stock-in", "stock in");
        validate(request);
        PartyRegister register = parties.get();
        if (!register.operatorOf(request.warehouseCode()).map(enterprise::equals).orElse(false)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "Not the warehouse's operator",
                    "only the registered operator of a bonded warehouse records its stock-ins; an owner asks its operator",
                    List.of(new Violation("/warehouseCode", "party-register", "you are not the registered operator of this warehouse")));
        }
        if (!register.holds(request.ownerCode(), PartyRegister.Role.E_COMMERCE_ENTERPRISE)) {
            throw ApiException.invalid("/ownerCode", "party-register", "the owner must be a registered e-commerce enterprise");
        }
        String hash = sha256(request.toString());
        record Earlier(UUID id, String requestHash) {
        }
        var earlier = jdbc.sql("select id, request_hash from stock_in where filed_by = ? and idempotency_key = ? for update")
                .params(enterprise, idempotencyKey).query(Earlier.class).optional();
        if (earlier.isPresent()) {
            if (!earlier.get().requestHash().equals(hash)) {
                throw ApiException.conflict("Idempotency-Key " + idempotencyKey + " was used for another stock-in");
            }
            return ResponseEntity.ok(result(earlier.get().id(), request.warehouseCode(), request.ownerCode()));
        }
        UUID id = UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        int inserted = jdbc.sql("""
                        insert into stock_in (id, filed_by, idempotency_key, request_hash, warehouse_code, filed_at)
                        values (?, ?, ?, ?, ?, ?) on conflict (filed_by, idempotency_key) do nothing""")
                .params(id, enterprise, idempotencyKey, hash, request.warehouseCode(), now).update();
        if (inserted == 0) {
            throw ApiException.conflict("a stock-in with Idempotency-Key " + idempotencyKey + " is being filed; retry");
        }
        request.items().stream()
                .sorted(java.util.Comparator.comparing(Line::itemRecordNo))
                .forEach(line -> stock.stockIn(new BondedStock.Account(request.warehouseCode(), request.ownerCode(),
                        line.itemRecordNo()), line.quantity(), id, line.batchNo(), now));
        return ResponseEntity.status(HttpStatus.CREATED).body(result(id, request.warehouseCode(), request.ownerCode()));
    }

    private StockInResult result(UUID id, String warehouseCode, String ownerCode) {
        OffsetDateTime filedAt = jdbc.sql("select filed_at from stock_in where id = ?").param(id)
                .query(OffsetDateTime.class).single();
        List<String> items = jdbc.sql("select distinct item_record_no from stock_movement where stock_in_id = ?")
                .param(id).query(String.class).list();
        List<BondedStock.Level> levels = stock.levels(warehouseCode, List.of(ownerCode), null).stream()
                .filter(l -> items.contains(l.itemRecordNo())).toList();
        return new StockInResult(id, warehouseCode, ownerCode, filedAt, levels);
    }

    /**
     * Levels of a warehouse's accounts, or of one item's: every owner's for its operator, logistics
     * officers and administrators; for anyone else, those of the owners it is or that authorised it.
     */
    @GetMapping(path = "/api/v1/logistics/stock", produces = MediaType.APPLICATION_JSON_VALUE)
    List<BondedStock.Level> levels(@RequestParam(required = false) String warehouseCode,
                                   @RequestParam(required = false) String itemRecordNo, Authentication who) {
        if (warehouseCode == null || !CODE.matcher(warehouseCode).matches()) {
            throw ApiException.invalid("warehouseCode", "required", "the warehouse code is required: 1 to 32 of A-Z a-z 0-9 _ -");
        }
        if (itemRecordNo != null && !CODE.matcher(itemRecordNo).matches()) {
            throw ApiException.invalid("itemRecordNo", "pattern", "1 to 32 of A-Z a-z 0-9 _ -");
        }
        boolean seesAll = who.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .anyMatch(a -> a.equals("ROLE_logistics-officer") || a.equals("ROLE_" + Roles.OPERATIONS_ADMIN));
        List<String> owners = null; // every owner's
        if (!seesAll) {
            owners = List.of(); // nobody's, unless the caller is an enterprise of the register
            if (who.getPrincipal() instanceof Jwt token) {
                String caller = Tenant.enterpriseId(token);
                PartyRegister register = parties.get();
                if (register.operatorOf(warehouseCode).map(caller::equals).orElse(false)) {
                    owners = null;
                } else {
                    owners = register.parties().stream()
                            .filter(p -> p.roles().contains(PartyRegister.Role.E_COMMERCE_ENTERPRISE))
                            .filter(p -> p.code().equals(caller) || p.authorisedAgents().contains(caller))
                            .map(PartyRegister.Party::code).toList();
                }
            }
        }
        return stock.levels(warehouseCode, owners, itemRecordNo);
    }

    private static void validate(StockIn request) {
        List<Violation> violations = new ArrayList<>();
        if (request.warehouseCode() == null || !CODE.matcher(request.warehouseCode()).matches()) {
            violations.add(new Violation("/warehouseCode", "pattern", "the bonded warehouse code: 1 to 32 of A-Z a-z 0-9 _ -"));
        }
        if (request.ownerCode() == null || !OWNER.matcher(request.ownerCode()).matches()) {
            violations.add(new Violation("/ownerCode", "pattern",
                    "the goods' owner, an e-commerce enterprise's registration code: 10 digits or capital letters"));
        }
        if (request.items() == null || request.items().isEmpty() || request.items().size() > 500) {
            violations.add(new Violation("/items", "size", "1 to 500 lines"));
        } else {
            var seen = new java.util.HashSet<String>();
            for (int i = 0; i < request.items().size(); i++) {
                Line line = request.items().get(i);
                String at = "/items/" + i;
                if (line == null) {
                    violations.add(new Violation(at, "required", "a line is required"));
                    continue;
                }
                if (line.itemRecordNo() == null || !CODE.matcher(line.itemRecordNo()).matches()) {
                    violations.add(new Violation(at + "/itemRecordNo", "pattern", "the item's account record: 1 to 32 of A-Z a-z 0-9 _ -"));
                } else if (!seen.add(line.itemRecordNo())) {
                    violations.add(new Violation(at + "/itemRecordNo", "unique", "one line per item record"));
                }
                if (line.quantity() == null || line.quantity().signum() <= 0 || line.quantity().scale() > 4
                        || line.quantity().compareTo(MAX_QUANTITY) > 0) {
                    violations.add(new Violation(at + "/quantity", "range", "a positive quantity with at most 4 decimals, up to 100,000,000"));
                }
                if (line.batchNo() == null || !BATCH.matcher(line.batchNo()).matches()) {
                    violations.add(new Violation(at + "/batchNo", "pattern", "the batch number: 1 to 64 of A-Z a-z 0-9 _ . / -"));
                }
            }
        }
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
