package org.singlewindow.declaration.ceb;

import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.Json;
import org.singlewindow.contract.Violation;
import org.singlewindow.contract.reference.CebCodeLists;
import org.singlewindow.contract.reference.PartyRegister;
import org.singlewindow.contract.reference.PartyRegister.Role;
import org.singlewindow.declaration.intake.DeclaringRights;
import org.singlewindow.declaration.intake.PartyConfirmations;
import org.singlewindow.declaration.intake.Submissions;
import org.singlewindow.kit.reference.ReferenceData;
import org.singlewindow.kit.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.w3c.dom.Element;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Files CEB XML messages the way the customs' channel takes them: the platform sends the order (CEB311),
 * the payment firm the payment (CEB411), the logistics firm the waybill (CEB511) and the declaring agent the
 * inventory list (CEB621), each in its own message and in any order. Each is checked on arrival — its
 * structure, its signature, its sender's right to it — and kept; when the four of one order are here
 * (the order, the payment and the list by platform and order number, the waybill by logistics firm and
 * waybill number), the list is filed exactly as the JSON declaration that says the same would be
 * ({@link Submissions}: the contract's validation, the party register, the same idempotency — by the list's
 * guid and by the order — and the same agencies). Before that a sender's later message of the same kind for
 * the same order replaces its earlier one; after it, the declaration is amended through the JSON API.
 * <p>
 * A document is its sender's: only its sender replaces it, its guid is unique per sender, and a document is
 * put together only with the documents of the parties it names ({@link #answer}), every one of which the
 * party register binds to its sender on arrival. No sender learns of another's pending document, and the
 * declaration's id is told only to its owner, the declaring agent.
 * <p>
 * Serialised per order number ({@code pg_advisory_xact_lock}), so two documents that complete an order
 * together cannot both miss each other.
 */
@Service
public class CebFiling {

    /**
     * What a document did: FILED when its order is (with the declaration, if the caller is its declaring
     * agent), otherwise AWAITING and what the order still waits for; {@code replayed} when the document had
     * been taken before or its order was already declared; REFUSED (a document of a message of several) with
     * why.
     */
    public record Answer(String kind, String guid, String status, UUID declarationId, boolean replayed,
                         List<String> awaiting, XmlSignatures.Verified signature, Findings refused) {

        Answer(String kind, String guid, String status, UUID declarationId, boolean replayed, List<String> awaiting,
               XmlSignatures.Verified signature) {
            this(kind, guid, status, declarationId, replayed, awaiting, signature, null);
        }
    }

    /** One stored document, read back. */
    private record Stored(UUID id, CebXml.Kind kind, String guid, String sender, String matchKey, String waybillKey, String body,
                          String xmlSha256, UUID declarationId, OffsetDateTime returnedAt) {

        /** What the document says that links it to the order's other documents. */
        Links head() {
            return body == null ? new Links(null, null, null, null) : switch (kind) {
                case CEB621 -> {
                    var h = Json.mapper().readValue(body, CebMessages.Ceb621.class).inventory().getFirst().head();
                    yield new Links(h.orderNo(), h.ebcCode(), null, null);
                }
                case CEB311 -> {
                    var h = Json.mapper().readValue(body, CebMessages.Ceb311.class).order().getFirst().head();
                    yield new Links(h.orderNo(), h.ebcCode(), h.payCode(), h.payTransactionId());
                }
                case CEB411 -> {
                    var h = Json.mapper().readValue(body, CebMessages.Ceb411.class).payment().getFirst().head();
                    yield new Links(h.orderNo(), null, h.payCode(), h.payTransactionId());
                }
                case CEB511 -> {
                    var h = Json.mapper().readValue(body, CebMessages.Ceb511.class).logistics().getFirst().head();
                    yield new Links(h.orderNo(), null, null, null);
                }
            };
        }
    }

    /** The fields the documents of one order are matched by, beyond their keys. */
    private record Links(String orderNo, String ebcCode, String payCode, String payTransactionId) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    /**
     * GACC 2018 No.194 item 8: in a bonded import (1210) each party transmits its own data — the payment firm its
     * payment, the logistics firm its waybill (the order: the platform, or the e-commerce enterprise or its
     * domestic agent, as always). Off in the sandbox, where one enterprise may send all four to try it.
     */
    private final boolean strict;
    private final Submissions submissions;
    private final PartyConfirmations confirmations;
    private final DeclaringRights rights;
    private final ReferenceData<PartyRegister> parties;
    private final CebCodeLists codes = CebCodeLists.bundled();
    private final PartyReceiptPush push;

    public CebFiling(JdbcClient jdbc, Submissions submissions, DeclaringRights rights, ReferenceData<PartyRegister> parties,
                     TransactionTemplate tx, @org.springframework.beans.factory.annotation.Value("${sw.ceb.strict:false}") boolean strict,
                     PartyConfirmations confirmations, PartyReceiptPush push) {
        this.jdbc = jdbc;
        this.push = push;
        this.confirmations = confirmations;
        this.tx = tx;
        this.strict = strict;
        this.submissions = submissions;
        this.rights = rights;
        this.parties = parties;
    }

    /** The code lists the messages are read with. */
    public CebCodeLists codes() {
        return codes;
    }

    /**
     * Take a message: each of its documents (a message may carry several lists, orders, payments or waybills, as
     * bonded sites send them) on its own, in its own transaction, so that one refused leaves the others taken. A
     * message of one document is answered as that document ({@code documents} empty) and refused as a whole; a
     * message of several is answered per document, and refused as a whole only when every one of them is.
     */
    public Taken take(byte[] xml, String sender) {
        CebXml.Read read = CebXml.read(xml);
        List<CebMessages.Message> blocks = blocks(read.message());
        List<Map<String, String>> identities = blocks.stream().map(CebFiling::identity).toList();
        try {
            return take(read, blocks, identities, xml, sender);
        } catch (ApiException e) {
            throw e instanceof Refused ? e : new Refused(e, read.kind(), identities);
        }
    }

    private Taken take(CebXml.Read read, List<CebMessages.Message> blocks, List<Map<String, String>> identities, byte[] xml,
                       String sender) {
        PartyRegister register = parties.get();
        XmlSignatures.Verified verified = signature(read, register, sender);
        String hash = sha256(xml);
        List<CebMessages.BaseSubscribe> subscribe = read.message().baseSubscribe();
        if (subscribe != null && subscribe.size() > 5) {
            throw ApiException.invalid("/ceb:" + read.kind().root() + "/ceb:BaseSubscribe", "maxItems",
                    "at most 5 BaseSubscribe in a message (" + subscribe.size() + " sent)");
        }
        if (blocks.size() > MAX_DOCUMENTS) {
            throw ApiException.invalid("/ceb:" + read.kind().root(), "maxItems", "at most " + MAX_DOCUMENTS
                    + " documents in one message (" + blocks.size() + " sent)");
        }
        if (blocks.size() == 1) {
            return new Taken(tx.execute(status -> takeOne(read.kind(), blocks.getFirst(), 0, xml, hash, verified, register, sender)),
                    List.of(), read.kind(), identities);
        }
        List<Answer> answers = new ArrayList<>();
        List<ApiException> refusals = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            int index = i + 1;
            CebMessages.Message block = blocks.get(i);
            try {
                answers.add(tx.execute(status -> takeOne(read.kind(), block, index, xml, hash, verified, register, sender)));
            } catch (ApiException e) {
                refusals.add(e);
                answers.add(new Answer(read.kind().name(), guidOf(block), "REFUSED", null, false, List.of(), verified,
                        new Findings(e.status().value(), e.title(), e.getMessage(), e.violations())));
            }
        }
        if (refusals.size() == blocks.size()) {
            List<Violation> all = refusals.stream().flatMap(e -> e.violations().stream()).toList();
            boolean invalid = refusals.stream().anyMatch(e -> e.status() == HttpStatus.BAD_REQUEST);
            throw new ApiException(invalid ? HttpStatus.BAD_REQUEST : refusals.getFirst().status(),
                    invalid ? "Invalid CEB message" : refusals.getFirst().title(),
                    "every one of the message's " + blocks.size() + " documents is refused", all);
        }
        return new Taken(null, answers, read.kind(), identities);
    }

    /** At most this many documents in one message. */
    static final int MAX_DOCUMENTS = 100;

    /**
     * What a message did: its one document's answer, or each document's; the message's kind and each document's
     * identifying elements, as its receipt names it ({@link #identity}).
     */
    public record Taken(Answer single, List<Answer> documents, CebXml.Kind kind, List<Map<String, String>> identities) {
    }

    /** A message refused as a whole, with what its receipt needs: its kind and each document's identifying elements. */
    public static final class Refused extends ApiException {
        private final transient CebXml.Kind kind;
        private final transient List<Map<String, String>> identities;

        Refused(ApiException refusal, CebXml.Kind kind, List<Map<String, String>> identities) {
            super(refusal.status(), refusal.title(), refusal.getMessage(), refusal.violations());
            this.kind = kind;
            this.identities = identities;
        }

        public CebXml.Kind kind() {
            return kind;
        }

        public List<Map<String, String>> identities() {
            return identities;
        }
    }

    /**
     * A document's identifying elements, as customs' receipt for it names them, in the standard's order: an order's
     * guid, ebpCode, ebcCode, orderNo; a payment's guid, payCode, payTransactionId; a waybill's guid, logisticsCode,
     * logisticsNo; a list's guid, customsCode, ebpCode, ebcCode, agentCode, copNo, preNo, invtNo — as sent.
     */
    static Map<String, String> identity(CebMessages.Message block) {
        Map<String, String> identity = new LinkedHashMap<>();
        switch (block) {
            case CebMessages.Ceb311 m when m.order() != null && !m.order().isEmpty() && m.order().getFirst().head() != null -> {
                CebMessages.OrderHead h = m.order().getFirst().head();
                put(identity, "guid", h.guid(), "ebpCode", h.ebpCode(), "ebcCode", h.ebcCode(), "orderNo", h.orderNo());
            }
            case CebMessages.Ceb411 m when m.payment() != null && !m.payment().isEmpty() && m.payment().getFirst().head() != null -> {
                CebMessages.PaymentHead h = m.payment().getFirst().head();
                put(identity, "guid", h.guid(), "payCode", h.payCode(), "payTransactionId", h.payTransactionId());
            }
            case CebMessages.Ceb511 m when m.logistics() != null && !m.logistics().isEmpty() && m.logistics().getFirst().head() != null -> {
                CebMessages.LogisticsHead h = m.logistics().getFirst().head();
                put(identity, "guid", h.guid(), "logisticsCode", h.logisticsCode(), "logisticsNo", h.logisticsNo());
            }
            case CebMessages.Ceb621 m when m.inventory() != null && !m.inventory().isEmpty() && m.inventory().getFirst().head() != null -> {
                CebMessages.InventoryHead h = m.inventory().getFirst().head();
                put(identity, "guid", h.guid(), "customsCode", h.customsCode(), "ebpCode", h.ebpCode(), "ebcCode", h.ebcCode(),
                        "agentCode", h.agentCode(), "copNo", h.copNo(), "preNo", h.preNo(), "invtNo", h.invtNo());
            }
            default -> put(identity, "guid", null);
        }
        return identity;
    }

    private static void put(Map<String, String> identity, String... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            identity.put(namesAndValues[i], namesAndValues[i + 1] == null ? "" : namesAndValues[i + 1]);
        }
    }

    /** One message per document it carries, each with that document's block alone. */
    private static List<CebMessages.Message> blocks(CebMessages.Message message) {
        return switch (message) {
            case CebMessages.Ceb621 m -> m.inventory() == null || m.inventory().size() < 2 ? List.of(m)
                    : m.inventory().stream().<CebMessages.Message>map(b -> new CebMessages.Ceb621(m.guid(), List.of(b), m.baseTransfer(), m.baseSubscribe(), m.extendMessage())).toList();
            case CebMessages.Ceb311 m -> m.order() == null || m.order().size() < 2 ? List.of(m)
                    : m.order().stream().<CebMessages.Message>map(b -> new CebMessages.Ceb311(m.guid(), List.of(b), m.baseTransfer(), m.baseSubscribe(), m.extendMessage())).toList();
            case CebMessages.Ceb411 m -> m.payment() == null || m.payment().size() < 2 ? List.of(m)
                    : m.payment().stream().<CebMessages.Message>map(b -> new CebMessages.Ceb411(m.guid(), List.of(b), m.baseTransfer(), m.baseSubscribe(), m.extendMessage())).toList();
            case CebMessages.Ceb511 m -> m.logistics() == null || m.logistics().size() < 2 ? List.of(m)
                    : m.logistics().stream().<CebMessages.Message>map(b -> new CebMessages.Ceb511(m.guid(), List.of(b), m.baseTransfer(), m.baseSubscribe(), m.extendMessage())).toList();
        };
    }

    /** The guid a document's head gives, if any (for the answer about a refused one). */
    private static String guidOf(CebMessages.Message block) {
        try {
            return switch (block) {
                case CebMessages.Ceb621 m -> m.inventory().getFirst().head().guid();
                case CebMessages.Ceb311 m -> m.order().getFirst().head().guid();
                case CebMessages.Ceb411 m -> m.payment().getFirst().head().guid();
                case CebMessages.Ceb511 m -> m.logistics().getFirst().head().guid();
            };
        } catch (RuntimeException noHead) {
            return null;
        }
    }

    /** One document: checked, kept (the sender's own earlier one of the same order replaced) and, if its order is complete, filed. */
    private Answer takeOne(CebXml.Kind kind, CebMessages.Message block, int index, byte[] xml, String hash,
                           XmlSignatures.Verified verified, PartyRegister register, String sender) {
        Document document = document(kind, block, index, register, sender);
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended(?, 0))").param("ceb-order:" + document.orderNo())
                .query(Object.class).single();

        // everything below looks only at the sender's own documents, or at documents its own one names
        Optional<Stored> same = first("where sender = ? and kind = ? and guid = ?", sender, kind.name(), document.guid());
        if (same.isPresent()) {
            if (!same.get().xmlSha256().equals(hash)) {
                throw ApiException.conflict(kind + " guid " + document.guid() + " was already sent with different content; "
                        + "a changed document needs a new guid");
            }
            return answer(same.get(), sender, verified, true);
        }
        Optional<Stored> filed = first("where sender = ? and kind = ? and match_key = ? and declaration_id is not null "
                + "order by received_at desc", sender, kind.name(), document.matchKey());
        Optional<Stored> waiting = first("where sender = ? and kind = ? and match_key = ? and declaration_id is null",
                sender, kind.name(), document.matchKey());
        if ("3".equals(document.appType())) {
            return delete(kind, document, filed, waiting, sender, verified);
        }
        if (filed.isPresent()) {
            boolean own = ownerOf(filed.get().declarationId()).equals(sender);
            if ("2".equals(document.appType()) && kind == CebXml.Kind.CEB621 && own) {
                return amend(kind, block, document, filed.get(), xml, hash, verified, sender);
            }
            String how = own ? "declaration " + filed.get().declarationId() + " (change its list: appType 2, or PUT "
                    + "/api/v1/declarations/" + filed.get().declarationId() + ")"
                    : "a declaration of its declaring agent, who changes or cancels the list";
            throw ApiException.conflict(kind + " " + document.describe() + " is used by a list already taken in, "
                    + how + (kind == CebXml.Kind.CEB621 ? "" : ": the list is cancelled before the documents it used change"));
        }
        if ("2".equals(document.appType()) && waiting.isEmpty()) {
            throw ApiException.notFound("a " + kind + " " + document.describe() + " of yours to change (appType 2); "
                    + "send a new one with appType 1");
        }
        waiting.ifPresent(earlier -> jdbc.sql("delete from ceb_document where id = ?").param(earlier.id()).update());
        // the message as received is kept once, with its first document; the others keep its hash
        UUID id = keep(kind, document, block, index <= 1 ? xml : null, hash, verified, sender, null);
        if (strict) {
            confirm(block, sender);
        }
        return answer(stored("where id = ?", id).getFirst(), sender, verified, false);
    }

    /**
     * appType 3: a waiting document of the sender's is deleted; one its order's list was filed with is not (the
     * list is cancelled first: POST /api/v1/declarations/{id}/cancellation before release, a withdrawal after).
     */
    private Answer delete(CebXml.Kind kind, Document document, Optional<Stored> filed, Optional<Stored> waiting, String sender,
                          XmlSignatures.Verified verified) {
        if (waiting.isPresent()) {
            jdbc.sql("delete from ceb_document where id = ?").param(waiting.get().id()).update();
            return new Answer(kind.name(), document.guid(), "DELETED", null, false, List.of(), verified);
        }
        if (filed.isPresent()) {
            UUID id = filed.get().declarationId();
            throw ApiException.conflict(kind + " " + document.describe() + " is used by a list already taken in"
                    + (ownerOf(id).equals(sender) ? " (declaration " + id + "): cancel it with POST /api/v1/declarations/" + id
                    + "/cancellation before release, or withdraw it after" : ": its declaring agent cancels the list first"));
        }
        throw ApiException.notFound("a waiting " + kind + " " + document.describe() + " of yours to delete (appType 3)");
    }

    /**
     * appType 2 on a list already filed: the declaration is amended (as {@code PUT /api/v1/declarations/{id}}
     * would: not once final, not while an officer holds it) with the new list and the order, payment and waybill
     * it was filed with; the new list is kept with it.
     */
    private Answer amend(CebXml.Kind kind, CebMessages.Message block, Document document, Stored filed, byte[] xml, String hash,
                         XmlSignatures.Verified verified, String sender) {
        UUID declarationId = filed.declarationId();
        List<Stored> used = stored("where declaration_id = ? order by received_at desc", declarationId);
        Stored order = used.stream().filter(d -> d.kind() == CebXml.Kind.CEB311).findFirst().orElseThrow();
        Stored payment = used.stream().filter(d -> d.kind() == CebXml.Kind.CEB411).findFirst().orElseThrow();
        Stored waybill = used.stream().filter(d -> d.kind() == CebXml.Kind.CEB511).findFirst().orElseThrow();
        CebAssembly assembly = new CebAssembly(codes, parties.get(), sender, Declaration.AppType.CHANGE, (CebMessages.Ceb621) block,
                read(order, CebMessages.Ceb311.class), read(payment, CebMessages.Ceb411.class), read(waybill, CebMessages.Ceb511.class));
        Declaration declaration = parsed(assembly, Declaration.AppType.CHANGE);
        checkRights(declaration, sender, assembly);
        submissions.amend(declarationId, sender, sender, declaration);
        keep(kind, document, block, xml, hash, verified, sender, declarationId);
        return new Answer(kind.name(), document.guid(), "AMENDED", declarationId, false, List.of(), verified);
    }

    /**
     * A payment firm's own CEB411, or a logistics firm's own CEB511, is also its confirmation of its part of an order a
     * declaring agent filed in one JSON submission ({@link PartyConfirmations}), whichever comes first.
     */
    private void confirm(CebMessages.Message block, String sender) {
        switch (block) {
            case CebMessages.Ceb411 m when sender.equals(m.payment().getFirst().head().payCode()) -> {
                CebMessages.PaymentHead h = m.payment().getFirst().head();
                Map<String, String> fields = new LinkedHashMap<>();
                fields.put("amountPaid", h.amountPaid());
                fields.put("currency", codes.currencyIso(h.currency()).orElse(h.currency()));
                confirmations.confirm(PartyConfirmations.Role.PAYMENT, sender, h.ebpCode(), h.orderNo(), h.payTransactionId(), fields,
                        "CEB411");
            }
            case CebMessages.Ceb511 m when sender.equals(m.logistics().getFirst().head().logisticsCode()) -> {
                CebMessages.LogisticsHead h = m.logistics().getFirst().head();
                Map<String, String> fields = new LinkedHashMap<>();
                if (h.freight() != null && !h.freight().isBlank()) {
                    fields.put("freight", h.freight());
                }
                if (h.insuredFee() != null && !h.insuredFee().isBlank()) {
                    fields.put("insuredFee", h.insuredFee());
                }
                confirmations.confirm(PartyConfirmations.Role.WAYBILL, sender, null, h.orderNo(), h.logisticsNo(), fields, "CEB511");
            }
            default -> {
            }
        }
    }

    /** Keep a document as received (the message's bytes, if given), waiting or filed with a declaration; its id. */
    private UUID keep(CebXml.Kind kind, Document document, CebMessages.Message block, byte[] xml, String hash,
                      XmlSignatures.Verified verified, String sender, UUID declarationId) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        insert into ceb_document (id, kind, guid, sender, match_key, waybill_key, body, xml, xml_sha256,
                            signature_algorithm, signer_fingerprint, received_at, declaration_id)
                        values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?)""")
                .params(id, kind.name(), document.guid(), sender, document.matchKey(), document.waybillKey(),
                        Json.mapper().writeValueAsString(block), xml == null ? null : new String(xml, StandardCharsets.UTF_8), hash,
                        verified == null ? null : verified.algorithm(), verified == null ? null : verified.fingerprint(),
                        OffsetDateTime.now(ZoneOffset.UTC), declarationId)
                .update();
        return id;
    }

    private static <T> T read(Stored document, Class<T> type) {
        return Json.mapper().readValue(document.body(), type);
    }

    /** Whether the order a document belongs to is complete ({@link #documentsOf}); if so, file it. */
    private Answer answer(Stored self, String caller, XmlSignatures.Verified verified, boolean replayed) {
        if (self.declarationId() != null) {
            return filed(self.kind(), self.guid(), self.declarationId(), caller, replayed, verified);
        }
        if (self.returnedAt() != null) {
            return new Answer(self.kind().name(), self.guid(), "RETURNED", null, replayed, List.of(), verified);
        }
        Documents documents = documentsOf(self);
        if (!documents.awaiting().isEmpty()) {
            return new Answer(self.kind().name(), self.guid(), "AWAITING", null, replayed, documents.awaiting(), verified);
        }
        Submissions.Submitted submitted;
        try {
            // an order already filed (as JSON, say) is that declaration: replayed, nothing filed twice
            submitted = file(documents.list(), documents.order(), documents.payment(), documents.waybill());
        } catch (ApiException e) {
            return notFitting(self, documents, e, verified, replayed);
        }
        jdbc.sql("update ceb_document set declaration_id = ?, findings = null where id in (?, ?, ?, ?)")
                .params(submitted.id(), documents.list().id(), documents.order().id(), documents.payment().id(),
                        documents.waybill().id()).update();
        if (!submitted.replayed()) {
            // each party its own receipt: its document is in (the declaration named only to the list's sender)
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            for (Stored document : List.of(documents.order(), documents.payment(), documents.waybill())) {
                push.push(document.kind(), document.sender(), document.sender().equals(documents.list().sender()) ? submitted.id() : null,
                        identityOf(document), 120, "海关入库: filed with its order's inventory list", now);
            }
        }
        return filed(self.kind(), self.guid(), submitted.id(), caller, replayed || submitted.replayed(), verified);
    }

    /**
     * The order's four documents came together and do not fit. What is wrong is told to the sender of the
     * document it is in: the caller at once if its own document is at fault (refused as any message is, nothing
     * kept), otherwise each faulty document keeps its findings for its sender to read
     * ({@link #state}) and the caller's document waits for the correction.
     */
    private Answer notFitting(Stored self, Documents documents, ApiException e, XmlSignatures.Verified verified, boolean replayed) {
        Map<CebXml.Kind, List<Violation>> faults = new EnumMap<>(CebXml.Kind.class);
        for (Violation v : e.violations()) {
            faults.computeIfAbsent(kindOf(v.field()), k -> new ArrayList<>()).add(v);
        }
        if (faults.isEmpty() || faults.containsKey(self.kind())) {
            throw faults.isEmpty() ? e : new ApiException(e.status(), e.title(), e.getMessage(), faults.get(self.kind()));
        }
        List<String> awaiting = new ArrayList<>();
        for (var fault : faults.entrySet()) {
            Stored faulty = documents.of(fault.getKey());
            jdbc.sql("update ceb_document set findings = ?::jsonb where id = ?")
                    .params(Json.mapper().writeValueAsString(new Findings(e.status().value(), e.title(), e.getMessage(), fault.getValue())),
                            faulty.id()).update();
            push.push(faulty.kind(), faulty.sender(), null, identityOf(faulty), 100, returnInfo(fault.getValue()),
                    OffsetDateTime.now(ZoneOffset.UTC));
            awaiting.add("a corrected " + label(fault.getKey()) + ": it does not fit this order's other documents, and its "
                    + "sender can read why");
        }
        return new Answer(self.kind().name(), self.guid(), "AWAITING", null, replayed, awaiting, verified);
    }

    /**
     * A kept document's identifying elements, as its receipt names them: an order's, payment's or waybill's from its
     * keys (which outlive its body, dropped with the declaration's personal data), a list's from its body.
     */
    private static Map<String, String> identityOf(Stored document) {
        if (document.kind() == CebXml.Kind.CEB621) {
            return document.body() == null ? Map.of("guid", document.guid())
                    : identity(Json.mapper().readValue(document.body(), CebMessages.Ceb621.class));
        }
        int slash = document.matchKey().indexOf('/');
        String code = document.matchKey().substring(0, slash);
        String number = document.matchKey().substring(slash + 1);
        Links head = document.head();
        Map<String, String> identity = new LinkedHashMap<>();
        identity.put("guid", document.guid());
        switch (document.kind()) {
            case CEB311 -> {
                identity.put("ebpCode", code);
                identity.put("ebcCode", head.ebcCode());
                identity.put("orderNo", number);
            }
            case CEB411 -> {
                identity.put("payCode", head.payCode());
                identity.put("payTransactionId", head.payTransactionId());
            }
            default -> {
                identity.put("logisticsCode", code);
                identity.put("logisticsNo", number);
            }
        }
        return identity;
    }

    /** Why a document was returned, as its receipt's returnInfo says it (C..1000): each element and what is wrong. */
    private static String returnInfo(List<Violation> errors) {
        String info = "海关退单: " + errors.stream().map(v -> v.field() + " " + v.message())
                .collect(java.util.stream.Collectors.joining("; "));
        return info.length() <= 1000 ? info : info.substring(0, 999) + "…";
    }

    /** What was found wrong with a document when its order came together, as a problem would say it. */
    public record Findings(int status, String title, String detail, List<Violation> errors) {
    }

    /** The message kind a violation's element path is in (the list's, when the path names none). */
    private static CebXml.Kind kindOf(String field) {
        for (CebXml.Kind kind : CebXml.Kind.values()) {
            if (field != null && field.startsWith("/ceb:" + kind.root())) {
                return kind;
            }
        }
        return CebXml.Kind.CEB621;
    }

    private static String label(CebXml.Kind kind) {
        return switch (kind) {
            case CEB621 -> "CEB621 inventory list";
            case CEB311 -> "CEB311 order";
            case CEB411 -> "CEB411 payment";
            case CEB511 -> "CEB511 waybill";
        };
    }

    /** The documents of the order a document belongs to, as far as they are here, and what it still waits for. */
    private record Documents(Stored list, Stored order, Stored payment, Stored waybill, List<String> awaiting) {
        Stored of(CebXml.Kind kind) {
            return switch (kind) {
                case CEB621 -> list;
                case CEB311 -> order;
                case CEB411 -> payment;
                case CEB511 -> waybill;
            };
        }
    }

    /**
     * The order's other documents, found through what the document itself names, each link a party the
     * register binds to its sender: the list and the order by platform, order number and seller
     * ({@code ebcCode}), the order and the payment by payment firm and transaction, the list and the waybill by
     * logistics firm, waybill and order number. So a document is only ever put together with the documents of
     * the parties it names, never with another seller's or another payment firm's, and what a sender is told
     * is waiting is about its own order only. Where one party sent a document twice through different senders
     * (itself and its agent), the newest counts.
     */
    private Documents documentsOf(Stored self) {
        Optional<Stored> list = switch (self.kind()) {
            case CEB621 -> Optional.of(self);
            case CEB311 -> listOf(self);
            case CEB411 -> orderPaidBy(self).flatMap(this::listOf);
            case CEB511 -> candidates(CebXml.Kind.CEB621, "waybill_key", self.matchKey())
                    .filter(l -> Objects.equals(l.head().orderNo(), self.head().orderNo())).findFirst();
        };
        Optional<Stored> order = switch (self.kind()) {
            case CEB311 -> Optional.of(self);
            case CEB411 -> orderPaidBy(self);
            default -> list.flatMap(this::orderOf);
        };
        Optional<Stored> payment = self.kind() == CebXml.Kind.CEB411 ? Optional.of(self) : order.flatMap(this::paymentOf);
        Optional<Stored> waybill = self.kind() == CebXml.Kind.CEB511 ? Optional.of(self) : list.flatMap(this::waybillOf);

        String orderKey = list.or(() -> order).or(() -> payment).map(Stored::matchKey).orElse(null);
        String waybillKey = list.map(Stored::waybillKey).or(() -> waybill.map(Stored::matchKey)).orElse(null);
        List<String> awaiting = new ArrayList<>();
        if (list.isEmpty()) {
            awaiting.add("CEB621 inventory list" + (orderKey == null ? " naming waybill " + describe(waybillKey)
                    : " of order " + describe(orderKey)));
        }
        if (order.isEmpty()) {
            awaiting.add("CEB311 order" + (orderKey == null ? "" : " " + describe(orderKey)));
        }
        if (payment.isEmpty()) {
            awaiting.add("CEB411 payment" + (orderKey == null ? "" : " of order " + describe(orderKey)));
        }
        if (waybill.isEmpty()) {
            awaiting.add("CEB511 waybill" + (waybillKey == null ? "" : " " + describe(waybillKey)));
        }
        return new Documents(list.orElse(null), order.orElse(null), payment.orElse(null), waybill.orElse(null), awaiting);
    }

    /** A sender's own document as it stands: FILED, or AWAITING what its order still needs, with any findings. */
    public record State(String kind, String guid, String status, UUID declarationId, List<String> awaiting, Findings findings,
                        OffsetDateTime receivedAt) {
    }

    /** The caller's own document of this kind and guid (404 for anyone else's or none). */
    @Transactional(readOnly = true)
    public State state(CebXml.Kind kind, String guid, String caller) {
        Own own = own(kind, guid, caller);
        Stored self = own.document();
        if (self.declarationId() != null) {
            UUID shown = ownerOf(self.declarationId()).equals(caller) ? self.declarationId() : null;
            return new State(kind.name(), guid, "FILED", shown, List.of(), null, own.receivedAt());
        }
        if (self.returnedAt() != null) {
            return new State(kind.name(), guid, "RETURNED", null, List.of(), own.findings(), own.receivedAt());
        }
        return new State(kind.name(), guid, "AWAITING", null, documentsOf(self).awaiting(), own.findings(), own.receivedAt());
    }

    /** A sender's own document with when it came and what was found wrong with it (none once filed). */
    private record Own(Stored document, OffsetDateTime receivedAt, Findings findings) {
    }

    /** The caller's own document of this kind and guid; 404 for anyone else's or none. */
    private Own own(CebXml.Kind kind, String guid, String caller) {
        Stored self = first("where sender = ? and kind = ? and guid = ?", caller, kind.name(), guid)
                .orElseThrow(() -> ApiException.notFound(kind + " " + guid));
        record Row(OffsetDateTime receivedAt, String findings) {
        }
        Row row = jdbc.sql("select received_at, findings::text as findings from ceb_document where id = ?").param(self.id())
                .query(Row.class).single();
        Findings findings = self.declarationId() != null || row.findings() == null ? null
                : Json.mapper().readValue(row.findings(), Findings.class);
        return new Own(self, row.receivedAt(), findings);
    }

    /**
     * The caller's own order, payment or waybill as customs' receipt for it (CEB312, CEB412, CEB512:
     * {@link PartyReceipts}): 120 once taken in, 100 with the findings when it does not fit its order's other
     * documents. 404 for anyone else's or none.
     */
    @Transactional(readOnly = true)
    public byte[] receipt(CebXml.Kind kind, String guid, String caller) {
        if (kind == CebXml.Kind.CEB621) {
            throw new ApiException(HttpStatus.NOT_ACCEPTABLE, "Not acceptable", "a list's receipts are customs' CEB622: "
                    + "GET /api/v1/declarations/{id}/receipts with Accept: application/xml once it is filed", List.of());
        }
        Own own = own(kind, guid, caller);
        Stored self = own.document();
        OffsetDateTime receivedAt = own.receivedAt();
        Findings findings = own.findings();
        String info = findings == null ? "海关入库: taken in" : returnInfo(findings.errors());
        return PartyReceipts.render(kind, UUID.nameUUIDFromBytes((self.id() + "/" + (findings == null ? 120 : 100))
                .getBytes(StandardCharsets.UTF_8)), identityOf(self), findings == null ? 120 : 100, receivedAt, info);
    }

    /**
     * Return (customs' 100, 退单) every list that has waited since before {@code cutoff} without its order's other
     * documents, each naming what was missing; its sender reads it ({@link #state}) and files a new list. Each in
     * its own transaction under its order's lock; returns how many.
     */
    public int returnOverdueLists(OffsetDateTime cutoff) {
        List<UUID> overdue = jdbc.sql("""
                        select id from ceb_document where kind = 'CEB621' and declaration_id is null and returned_at is null
                          and received_at < ? order by received_at limit 200""")
                .param(cutoff).query(UUID.class).list();
        int returned = 0;
        for (UUID id : overdue) {
            Boolean done = tx.execute(status -> {
                Stored list = first("where id = ?", id).orElse(null);
                if (list == null) {
                    return false;
                }
                jdbc.sql("select pg_advisory_xact_lock(hashtextextended(?, 0))").param("ceb-order:" + list.head().orderNo())
                        .query(Object.class).single();
                Stored now = first("where id = ? and declaration_id is null and returned_at is null", id).orElse(null);
                if (now == null) {
                    return false;
                }
                List<String> missing = documentsOf(now).awaiting();
                if (missing.isEmpty()) {
                    return false; // its order completed meanwhile: the next message files it
                }
                List<Violation> errors = missing.stream().map(m -> new Violation("/ceb:CEB621Message", "companions",
                        "did not come in time: " + m)).toList();
                jdbc.sql("update ceb_document set returned_at = now(), findings = ?::jsonb where id = ?")
                        .params(Json.mapper().writeValueAsString(new Findings(100, "Returned (100, 退单)",
                                "the order's other documents did not come within the time allowed: file a new list with them",
                                errors)), id)
                        .update();
                push.push(now.kind(), now.sender(), null, identityOf(now), 100, returnInfo(errors),
                        OffsetDateTime.now(ZoneOffset.UTC));
                return true;
            });
            if (Boolean.TRUE.equals(done)) {
                returned++;
            }
        }
        return returned;
    }

    /** FILED; the declaration named only to its owner, the declaring agent (the other parties have their own receipts). */
    private Answer filed(CebXml.Kind kind, String guid, UUID declarationId, String caller, boolean replayed,
                         XmlSignatures.Verified verified) {
        UUID shown = ownerOf(declarationId).equals(caller) ? declarationId : null;
        return new Answer(kind.name(), guid, "FILED", shown, replayed, List.of(), verified);
    }

    private String ownerOf(UUID declarationId) {
        return jdbc.sql("select enterprise_id from declaration where id = ?").param(declarationId).query(String.class).single();
    }

    /** The list an order belongs to: same platform and order number, same seller. */
    private Optional<Stored> listOf(Stored order) {
        return candidates(CebXml.Kind.CEB621, "match_key", order.matchKey())
                .filter(l -> Objects.equals(l.head().ebcCode(), order.head().ebcCode())).findFirst();
    }

    /** The order of a list: same platform and order number, same seller. */
    private Optional<Stored> orderOf(Stored list) {
        return candidates(CebXml.Kind.CEB311, "match_key", list.matchKey())
                .filter(o -> Objects.equals(o.head().ebcCode(), list.head().ebcCode())).findFirst();
    }

    /** The order a payment pays: same platform and order number, and the order names this payment firm and transaction. */
    private Optional<Stored> orderPaidBy(Stored payment) {
        return candidates(CebXml.Kind.CEB311, "match_key", payment.matchKey())
                .filter(o -> paid(o, payment)).findFirst();
    }

    private Optional<Stored> paymentOf(Stored order) {
        return candidates(CebXml.Kind.CEB411, "match_key", order.matchKey()).filter(p -> paid(order, p)).findFirst();
    }

    private static boolean paid(Stored order, Stored payment) {
        return Objects.equals(order.head().payCode(), payment.head().payCode())
                && Objects.equals(order.head().payTransactionId(), payment.head().payTransactionId());
    }

    /** The waybill a list names: its logistics firm and waybill number, for the list's order. */
    private Optional<Stored> waybillOf(Stored list) {
        return candidates(CebXml.Kind.CEB511, "match_key", list.waybillKey())
                .filter(w -> Objects.equals(w.head().orderNo(), list.head().orderNo())).findFirst();
    }

    /** The waiting documents of a kind under a key, newest first. */
    private java.util.stream.Stream<Stored> candidates(CebXml.Kind kind, String column, String key) {
        return stored("where kind = ? and " + column + " = ? and declaration_id is null and returned_at is null "
                + "order by received_at desc", kind.name(), key).stream();
    }

    /** File the four documents of an order as one declaration, in the name of the list's sender. */
    private Submissions.Submitted file(Stored list, Stored order, Stored payment, Stored waybill) {
        CebAssembly assembly = new CebAssembly(codes, parties.get(), list.sender(), Declaration.AppType.NEW,
                Json.mapper().readValue(list.body(), CebMessages.Ceb621.class),
                Json.mapper().readValue(order.body(), CebMessages.Ceb311.class),
                Json.mapper().readValue(payment.body(), CebMessages.Ceb411.class),
                Json.mapper().readValue(waybill.body(), CebMessages.Ceb511.class));
        Declaration declaration = parsed(assembly, Declaration.AppType.NEW);
        if (strict) {
            // 1210: each firm its own; 9610: or a postal or express operator the firm entrusted (the register)
            boolean direct = declaration.declarationType() == Declaration.DeclarationType.DIRECT_IMPORT_9610;
            PartyRegister register = parties.get();
            String rule = direct ? " sends its own payment, or a postal or express operator it entrusted does (GACC 2018 No.194 item 8)"
                    : " sends its own payment in a bonded import (1210; GACC 2018 No.194 item 8)";
            List<Violation> notOwn = new ArrayList<>();
            String payCode = declaration.payment().payCode();
            if (!payment.sender().equals(payCode) && !(direct && register.entrusted(payment.sender(), payCode))) {
                notOwn.add(new Violation("/ceb:CEB411Message/ceb:Payment/ceb:PaymentHead/ceb:payCode", "own-document",
                        "the payment firm " + payCode + rule));
            }
            String logisticsCode = declaration.logistics().logisticsCode();
            if (!waybill.sender().equals(logisticsCode) && !(direct && register.entrusted(waybill.sender(), logisticsCode))) {
                notOwn.add(new Violation("/ceb:CEB511Message/ceb:Logistics/ceb:LogisticsHead/ceb:logisticsCode", "own-document",
                        "the logistics firm " + logisticsCode + rule.replace("payment", "waybill")));
            }
            if (!notOwn.isEmpty()) {
                throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Not sent by the party itself",
                        "each party transmits its own data (in a direct import, its entrusted postal or express operator may)", notOwn);
            }
        }
        checkRights(declaration, list.sender(), assembly);
        return submissions.submitConfirmed(declaration, list.sender(), "ceb621:" + list.guid());
    }

    /** The declaring agent may use every code of the list (the register), each refusal named where it was sent. */
    private void checkRights(Declaration declaration, String agent, CebAssembly assembly) {
        List<Violation> refused = rights.check(declaration, agent);
        if (!refused.isEmpty()) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Codes the declaring agent may not declare with",
                    "by the party register, every code of the list is the declaring agent's own or that of a party that "
                            + "authorised it as its declaring agent", assembly.locate(refused));
        }
    }

    /** The contract's declaration the documents say, its violations named where they were sent. */
    private Declaration parsed(CebAssembly assembly, Declaration.AppType appType) {
        byte[] json = assembly.json();
        try {
            return submissions.parse(json, appType);
        } catch (ApiException e) {
            throw new ApiException(e.status(), e.title(), "the order's messages, put together, break the message standard: "
                    + "each field is named where it was sent", assembly.locate(e.violations()));
        }
    }

    /** The signature: verified against the sender's registered certificates, required if its registration says so. */
    private static XmlSignatures.Verified signature(CebXml.Read read, PartyRegister register, String sender) {
        return signature(read.document(), read.kind().root(), register, sender);
    }

    /**
     * The message's enveloped signature verified against its sender's registered certificates; none when it is
     * unsigned and its sender's registration allows that. A 422 naming {@code ds:Signature} otherwise.
     */
    static XmlSignatures.Verified signature(org.w3c.dom.Document document, String root, PartyRegister register, String sender) {
        Optional<PartyRegister.Party> party = register.party(sender);
        Optional<Element> signature = XmlSignatures.signature(document);
        String at = "/ceb:" + root + "/ds:Signature";
        if (signature.isEmpty()) {
            if (party.map(PartyRegister.Party::requireSigned).orElse(false)) {
                throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Signature required",
                        "the party register requires " + sender + "'s messages to be signed",
                        List.of(new Violation(at, "signature", "the message has no ds:Signature; " + sender
                                + " is registered to sign every CEB message")));
            }
            return null;
        }
        try {
            return XmlSignatures.verify(document, party.map(PartyRegister.Party::x509Certificates).orElse(List.of()));
        } catch (XmlSignatures.Refused e) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Signature not verified",
                    "the message's signature is refused: " + e.getMessage(), List.of(new Violation(at, "signature", e.getMessage())));
        }
    }

    /** A document's keys, checked on arrival. */
    private record Document(String guid, String appType, String orderNo, String matchKey, String waybillKey) {
        String describe() {
            return CebFiling.describe(matchKey);
        }
    }

    private static Document document(CebXml.Kind kind, CebMessages.Message message, int index, PartyRegister register,
                                     String sender) {
        List<Violation> problems = new ArrayList<>();
        String root = "/ceb:" + kind.root();
        // the block's place in a message of several (its element's position, from 1), none in a message of one
        String nth = index > 0 ? "[" + index + "]" : "";
        Document document = switch (message) {
            case CebMessages.Ceb621 m -> {
                var inventory = single(problems, root, "Inventory", m.inventory());
                String at = root + "/ceb:Inventory" + nth + "/ceb:InventoryHead";
                var head = head(problems, at, inventory, CebMessages.Inventory::head);
                if (head == null) {
                    yield null;
                }
                common(problems, at, head.guid(), head.appType(), head.appStatus());
                required(problems, at, "orderNo", head.orderNo());
                required(problems, at, "ebpCode", head.ebpCode());
                required(problems, at, "logisticsCode", head.logisticsCode());
                required(problems, at, "logisticsNo", head.logisticsNo());
                if (head.agentCode() != null && !head.agentCode().equals(sender)) {
                    problems.add(new Violation(at + "/ceb:agentCode", "tenant",
                            "a declaring agent files lists in its own name: must be the enterprise_id of the token"));
                }
                required(problems, at, "agentCode", head.agentCode());
                if (!register.holds(sender, Role.DECLARING_AGENT)) {
                    problems.add(new Violation(at + "/ceb:agentCode", "party-register",
                            "the sender is not a registered declaring agent"));
                }
                // every party the list names has authorised its declaring agent, checked now: a list is never
                // kept for an order the sender may not declare
                mayActFor(problems, register, sender, at + "/ceb:ebpCode", head.ebpCode(), Role.E_COMMERCE_PLATFORM);
                mayActFor(problems, register, sender, at + "/ceb:ebcCode", head.ebcCode(), Role.E_COMMERCE_ENTERPRISE);
                mayActFor(problems, register, sender, at + "/ceb:logisticsCode", head.logisticsCode(), Role.LOGISTICS_FIRM);
                if (inventory.lines() == null || inventory.lines().isEmpty()) {
                    problems.add(new Violation(root + "/ceb:Inventory" + nth + "/ceb:InventoryList", "required", "the list has no lines"));
                }
                yield new Document(head.guid(), head.appType(), head.orderNo(), key(head.ebpCode(), head.orderNo()),
                        key(head.logisticsCode(), head.logisticsNo()));
            }
            case CebMessages.Ceb311 m -> {
                String at = root + "/ceb:Order" + nth + "/ceb:OrderHead";
                var head = head(problems, at, single(problems, root, "Order", m.order()), CebMessages.Order::head);
                if (head == null) {
                    yield null;
                }
                common(problems, at, head.guid(), head.appType(), head.appStatus());
                required(problems, at, "orderNo", head.orderNo());
                required(problems, at, "ebpCode", head.ebpCode());
                if (head.orderType() != null && !"I".equals(head.orderType())) {
                    problems.add(new Violation(at + "/ceb:orderType", "enum", "must be I (import order)"));
                }
                // the platform sends its own orders; anyone else only the orders of a seller that is itself or
                // authorised it (a platform's agent is not every seller's)
                boolean platform = sender.equals(head.ebpCode()) && register.holds(sender, Role.E_COMMERCE_PLATFORM);
                if (!platform && !register.mayActAs(sender, head.ebcCode(), Role.E_COMMERCE_ENTERPRISE)) {
                    problems.add(new Violation(at + "/ceb:ebcCode", "party-register", "the sender is neither the order's "
                            + "registered platform nor its registered e-commerce enterprise or a declaring agent it authorised"));
                }
                if (head.ebpCode() != null && !register.holds(head.ebpCode(), Role.E_COMMERCE_PLATFORM)) {
                    problems.add(new Violation(at + "/ceb:ebpCode", "party-register", "not a registered e-commerce platform"));
                }
                yield new Document(head.guid(), head.appType(), head.orderNo(), key(head.ebpCode(), head.orderNo()), null);
            }
            case CebMessages.Ceb411 m -> {
                String at = root + "/ceb:Payment" + nth + "/ceb:PaymentHead";
                var head = head(problems, at, single(problems, root, "Payment", m.payment()), CebMessages.Payment::head);
                if (head == null) {
                    yield null;
                }
                common(problems, at, head.guid(), head.appType(), head.appStatus());
                required(problems, at, "orderNo", head.orderNo());
                required(problems, at, "ebpCode", head.ebpCode());
                if (!register.mayActAs(sender, head.payCode(), Role.PAYMENT_FIRM)) {
                    problems.add(new Violation(at + "/ceb:payCode", "party-register", "the sender is neither the registered "
                            + "payment firm nor a declaring agent it authorised"));
                }
                yield new Document(head.guid(), head.appType(), head.orderNo(), key(head.ebpCode(), head.orderNo()), null);
            }
            case CebMessages.Ceb511 m -> {
                String at = root + "/ceb:Logistics" + nth + "/ceb:LogisticsHead";
                var head = head(problems, at, single(problems, root, "Logistics", m.logistics()), CebMessages.Logistics::head);
                if (head == null) {
                    yield null;
                }
                common(problems, at, head.guid(), head.appType(), head.appStatus());
                required(problems, at, "logisticsCode", head.logisticsCode());
                required(problems, at, "logisticsNo", head.logisticsNo());
                required(problems, at, "orderNo", head.orderNo());
                if (!register.mayActAs(sender, head.logisticsCode(), Role.LOGISTICS_FIRM)) {
                    problems.add(new Violation(at + "/ceb:logisticsCode", "party-register", "the sender is neither the "
                            + "registered logistics firm nor a declaring agent it authorised"));
                }
                yield new Document(head.guid(), head.appType(), head.orderNo(), key(head.logisticsCode(), head.logisticsNo()), null);
            }
        };
        if (!problems.isEmpty() || document == null) {
            boolean rights = !problems.isEmpty() && problems.stream().allMatch(v -> v.rule().equals("party-register")
                    || v.rule().equals("tenant"));
            throw new ApiException(rights ? HttpStatus.UNPROCESSABLE_CONTENT : HttpStatus.BAD_REQUEST,
                    rights ? "Codes the sender may not use" : "Invalid CEB message",
                    rights ? "by the party register, the sender may not send this message for these parties"
                            : "the message breaks the CEB message standard or this window's rules for it", problems);
        }
        return document;
    }

    private static <T> T single(List<Violation> problems, String root, String element, List<T> items) {
        if (items == null || items.isEmpty()) {
            problems.add(new Violation(root + "/ceb:" + element, "required", "the message has no " + element));
            return null;
        }
        return items.getFirst(); // a message of several is taken a document at a time (blocks)
    }

    /** The block's head, or null (and why) when the block or its head is missing. */
    private static <B, H> H head(List<Violation> problems, String at, B block, java.util.function.Function<B, H> headOf) {
        if (block == null) {
            return null;
        }
        H head = headOf.apply(block);
        if (head == null) {
            problems.add(new Violation(at, "required", "is required"));
        }
        return head;
    }

    private static void common(List<Violation> problems, String at, String guid, String appType, String appStatus) {
        // the standard's guid is the sender's unique id of the document, 36 characters: a UUID, or a form
        // of its own such as CEB621_<site>_<time>_<seq>; kept and answered exactly as sent
        if (guid == null || !guid.matches("[A-Za-z0-9_.:-]{36}")) {
            problems.add(new Violation(at + "/ceb:guid", "pattern",
                    "must be the document's unique id, 36 characters (the standard's length) of A-Z a-z 0-9 and - _ . :"));
        }
        if (!"1".equals(appType) && !"2".equals(appType) && !"3".equals(appType)) {
            problems.add(new Violation(at + "/ceb:appType", "enum", "must be 1 (new), 2 (change) or 3 (delete)"));
        }
        if (!"2".equals(appStatus)) {
            problems.add(new Violation(at + "/ceb:appStatus", "supported",
                    "must be 2 (declare): a message to be kept as a draft (1) stays in the enterprise's own system"));
        }
    }

    private static void mayActFor(List<Violation> problems, PartyRegister register, String sender, String at, String code,
                                  Role role) {
        if (code != null && !register.mayActAs(sender, code, role)) {
            problems.add(new Violation(at, "party-register", "must be the sender's own code as a registered "
                    + role.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + ", or that of one that authorised the sender as its declaring agent"));
        }
    }

    private static void required(List<Violation> problems, String at, String element, String value) {
        if (value == null || value.isBlank()) {
            problems.add(new Violation(at + "/ceb:" + element, "required", "is required"));
        } else if (!value.matches("[A-Za-z0-9_-]{1,60}")) {
            problems.add(new Violation(at + "/ceb:" + element, "pattern", "1 to 60 of A-Z a-z 0-9 _ -"));
        }
    }

    private static String key(String code, String number) {
        return code + "/" + number;
    }

    private static String describe(String key) {
        int slash = key.indexOf('/');
        return key.substring(slash + 1) + " (" + key.substring(0, slash) + ")";
    }

    private Optional<Stored> first(String where, Object... params) {
        return stored(where, params).stream().findFirst();
    }

    private List<Stored> stored(String where, Object... params) {
        return jdbc.sql("""
                        select id, kind, guid, sender, match_key, waybill_key, body::text as body, xml_sha256, declaration_id,
                            returned_at
                        from ceb_document\s""" + where)
                .params(params)
                .query((rs, n) -> new Stored(rs.getObject(1, UUID.class), CebXml.Kind.valueOf(rs.getString(2)), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                        rs.getObject(9, UUID.class), rs.getObject(10, OffsetDateTime.class)))
                .list();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
