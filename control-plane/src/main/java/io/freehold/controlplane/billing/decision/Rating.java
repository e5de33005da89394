package io.freehold.controlplane.billing.decision;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Rates a tenant's usage of one period into invoice lines (docs/billing.md, "Rounding").
 *
 * <ul>
 *   <li>Each hour is priced by the price-list version in force at the hour's start; usage of one meter and flavor at one
 *       version makes one line, whose exact amount is the sum of quantity × unit price over its hours.</li>
 *   <li>Rounding happens once per line, to the currency's minor unit, half-even: the list amount, the amount after
 *       the discount (exact list amount × (1 − discount), rounded) and the tax (rounded amount × rate, rounded). The
 *       subtotal, tax and total are sums of rounded figures, so the invoice adds up as printed.</li>
 *   <li>A line's per-resource details share its rounded amount by largest remainder (ties by resource id): they add
 *       up to the line exactly, and no detail is off its exact share by a minor unit or more.</li>
 *   <li>Adjustments — late differences on hours of closed periods, recorded in this one — make lines of their own,
 *       priced as the hour they belong to was. Credit notes make negative lines, taxed at the rate in force at their
 *       issue.</li>
 *   <li>An hour no version covers, or a meter a version does not price, is shown at price 0 and says so.</li>
 * </ul>
 */
public final class Rating {

    private static final Comparator<LineKey> LINE_ORDER = Comparator.comparing(LineKey::category).thenComparing(LineKey::meter)
            .thenComparing(LineKey::flavor).thenComparingInt(LineKey::version);

    private Rating() {
    }

    public static RatedInvoice rate(BillingPeriod period, PriceBook book, List<UsageHour> usage, List<UsageHour> adjustments,
                                    List<Credit> credits) {
        Map<LineKey, LineSum> sums = new TreeMap<>(LINE_ORDER);
        usage.forEach(hour -> add(sums, ChargeCategory.USAGE, book, hour));
        adjustments.forEach(hour -> add(sums, ChargeCategory.ADJUSTMENT, book, hour));

        List<InvoiceLine> lines = new ArrayList<>();
        sums.forEach((key, sum) -> lines.add(line(key, sum, book)));
        credits.stream().sorted(Comparator.comparing(Credit::issuedAt).thenComparing(Credit::reference))
                .forEach(credit -> lines.add(creditLine(period, credit, book)));

        BigDecimal subtotal = Money.zero(book.currency());
        BigDecimal tax = Money.zero(book.currency());
        for (InvoiceLine line : lines) {
            subtotal = subtotal.add(line.amount());
            tax = tax.add(line.tax());
        }
        return new RatedInvoice(period, book.currency(), lines, subtotal, tax, subtotal.add(tax));
    }

    private static void add(Map<LineKey, LineSum> sums, ChargeCategory category, PriceBook book, UsageHour hour) {
        Optional<PriceListVersion> version = book.at(hour.hour());
        Optional<BigDecimal> price = version.flatMap(found -> found.unitPrice(hour.meter(), hour.flavor()));
        LineKey key = new LineKey(category, hour.meter(), hour.flavor(), price.isPresent() ? version.get().version() : 0);
        LineSum sum = sums.computeIfAbsent(key, k -> new LineSum(hour.unit(), price.orElse(BigDecimal.ZERO),
                price.isPresent() ? version.get().taxRate() : BigDecimal.ZERO));
        sum.add(hour);
    }

    private static InvoiceLine line(LineKey key, LineSum sum, PriceBook book) {
        BigDecimal exact = sum.quantity.multiply(sum.unitPrice);
        BigDecimal payable = exact.multiply(book.payableShare());
        BigDecimal amount = Money.round(payable, book.currency());
        BigDecimal tax = Money.round(amount.multiply(sum.taxRate), book.currency());
        String flavor = key.flavor().isEmpty() ? "" : " (" + key.flavor() + ")";
        String description = switch (key.category()) {
            case USAGE -> key.meter() + flavor;
            case ADJUSTMENT -> key.meter() + flavor + ", late usage of closed periods";
            case CREDIT -> throw new IllegalStateException("credits are not summed by meter");
        } + (key.version() == 0 ? ", no price in force" : "");
        return new InvoiceLine(key.category(), key.meter(), key.flavor(), description, sum.first, sum.last.plusSeconds(3600), sum.quantity,
                sum.unit, sum.unitPrice, key.version(), Money.round(exact, book.currency()), book.discountPercent(), amount,
                sum.taxRate, tax, sum.details(amount, sum.unitPrice.multiply(book.payableShare()), book));
    }

    private static InvoiceLine creditLine(BillingPeriod period, Credit credit, PriceBook book) {
        BigDecimal amount = Money.round(credit.amount(), book.currency()).negate();
        BigDecimal taxRate = book.at(credit.issuedAt()).map(PriceListVersion::taxRate).orElse(BigDecimal.ZERO);
        return new InvoiceLine(ChargeCategory.CREDIT, "", "", "credit note " + credit.reference() + ": " + credit.reason(), period.start(),
                period.end(), BigDecimal.ONE, "credit note", amount, 0, amount, BigDecimal.ZERO, amount, taxRate,
                Money.round(amount.multiply(taxRate), book.currency()), List.of());
    }

    /** What makes a line: usage of one meter and flavor at one price-list version (0: none in force). */
    private record LineKey(ChargeCategory category, String meter, String flavor, int version) {
    }

    private static final class LineSum {
        private final String unit;
        private final BigDecimal unitPrice;
        private final BigDecimal taxRate;
        private final Map<String, BigDecimal> byResource = new TreeMap<>();
        private BigDecimal quantity = BigDecimal.ZERO;
        private Instant first;
        private Instant last;

        LineSum(String unit, BigDecimal unitPrice, BigDecimal taxRate) {
            this.unit = unit;
            this.unitPrice = unitPrice;
            this.taxRate = taxRate;
        }

        void add(UsageHour hour) {
            quantity = quantity.add(hour.quantity());
            byResource.merge(hour.resourceId(), hour.quantity(), BigDecimal::add);
            first = first == null || hour.hour().isBefore(first) ? hour.hour() : first;
            last = last == null || hour.hour().isAfter(last) ? hour.hour() : last;
        }

        /** The rounded line amount shared by largest remainder of each resource's exact payable amount. */
        List<InvoiceLine.LineDetail> details(BigDecimal lineAmount, BigDecimal payablePrice, PriceBook book) {
            int scale = lineAmount.scale();
            BigDecimal unit = BigDecimal.ONE.movePointLeft(scale);
            List<Share> shares = new ArrayList<>();
            BigDecimal floors = BigDecimal.ZERO;
            for (Map.Entry<String, BigDecimal> resource : byResource.entrySet()) {
                BigDecimal exact = resource.getValue().multiply(payablePrice);
                BigDecimal floor = exact.setScale(scale, RoundingMode.FLOOR);
                shares.add(new Share(resource.getKey(), resource.getValue(), floor, exact.subtract(floor)));
                floors = floors.add(floor);
            }
            int extraUnits = lineAmount.subtract(floors).divide(unit).intValueExact();
            List<Share> byRemainder = shares.stream()
                    .sorted(Comparator.comparing(Share::remainder).reversed().thenComparing(Share::resourceId)).toList();
            Map<String, BigDecimal> amounts = new TreeMap<>();
            for (int i = 0; i < byRemainder.size(); i++) {
                Share share = byRemainder.get(i);
                amounts.put(share.resourceId(), i < extraUnits ? share.floor().add(unit) : share.floor());
            }
            return shares.stream().map(share -> new InvoiceLine.LineDetail(share.resourceId(), share.quantity(),
                    Money.round(amounts.get(share.resourceId()), book.currency()))).toList();
        }

        private record Share(String resourceId, BigDecimal quantity, BigDecimal floor, BigDecimal remainder) {
        }
    }
}
