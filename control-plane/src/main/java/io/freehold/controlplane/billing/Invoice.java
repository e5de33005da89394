package io.freehold.controlplane.billing;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.ser.std.StdSerializer;
import io.freehold.controlplane.billing.decision.BillingPeriod;
import io.freehold.controlplane.billing.decision.InvoiceLine;
import io.freehold.controlplane.billing.decision.RatedInvoice;

/**
 * A tenant's invoice for one UTC calendar month, as the API shows it: a DRAFT, rated from the month's usage as it
 * stands whenever it is read, or the FINAL one month close stored, numbered and never changed again. An invoice is
 * named by its tenant and month; the number is given when it becomes final. Amounts are decimals with the currency's
 * minor-unit scale; quantities and prices are exact.
 *
 * @param computedAt when a draft was rated; for a final invoice, when it was closed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Invoice(String tenantId, @JsonFormat(shape = JsonFormat.Shape.STRING) YearMonth period, Status status, String number,
                      String currency, String priceListId, @Decimal BigDecimal discountPercent, Instant billingPeriodStart, Instant billingPeriodEnd,
                      List<Line> lines, @Decimal BigDecimal subtotal, @Decimal BigDecimal tax, @Decimal BigDecimal total, Instant computedAt, Instant finalizedAt) {

    public Invoice {
        lines = List.copyOf(lines);
    }

    public enum Status { DRAFT, FINAL }

    /** Amounts, quantities and prices go out as JSON strings in plain notation: exact decimals no client parses into a binary float. */
    @Retention(RetentionPolicy.RUNTIME)
    @JacksonAnnotationsInside
    @JsonSerialize(using = PlainDecimal.class)
    @interface Decimal {
    }

    static final class PlainDecimal extends StdSerializer<BigDecimal> {

        PlainDecimal() {
            super(BigDecimal.class);
        }

        @Override
        public void serialize(BigDecimal value, JsonGenerator generator, SerializationContext context) {
            generator.writeString(value.toPlainString());
        }
    }

    /**
     * One line: usage of a meter (and flavor) at one price-list version, late usage of closed periods, or a credit note.
     *
     * @param category FOCUS's ChargeCategory: {@code Usage}, {@code Adjustment} or {@code Credit}
     */
    public record Line(String category, String meter, String flavor, String description, Instant chargePeriodStart, Instant chargePeriodEnd,
                       @Decimal BigDecimal quantity, String unit, @Decimal BigDecimal unitPrice, int priceListVersion, @Decimal BigDecimal listAmount,
                       @Decimal BigDecimal discountPercent, @Decimal BigDecimal amount, @Decimal BigDecimal taxRate, @Decimal BigDecimal tax, List<Resource> resources) {

        public Line {
            resources = List.copyOf(resources);
        }
    }

    /** A resource's part of a line; the parts of a line add up to its amount. @param resourceName the instance's name, or its id once gone */
    public record Resource(String resourceId, String resourceName, @Decimal BigDecimal quantity, @Decimal BigDecimal amount) {
    }

    /** The view of a rated invoice; {@code names} gives resources' names by id. */
    static Invoice of(String tenantId, Status status, String number, String priceListId, BigDecimal discountPercent, RatedInvoice rated,
                      Function<String, String> names, Instant computedAt, Instant finalizedAt) {
        BillingPeriod period = rated.period();
        List<Line> lines = rated.lines().stream().map(line -> line(line, names)).toList();
        return new Invoice(tenantId, period.month(), status, number, rated.currency().getCurrencyCode(), priceListId,
                discountPercent, period.start(), period.end(), lines,
                rated.subtotal(), rated.tax(), rated.total(), computedAt, finalizedAt);
    }

    private static Line line(InvoiceLine line, Function<String, String> names) {
        return new Line(line.category().focusName(), line.meter(), line.flavor(), line.description(), line.chargePeriodStart(),
                line.chargePeriodEnd(), line.quantity(), line.unit(), line.unitPrice(), line.priceListVersion(), line.listAmount(),
                line.discountPercent(), line.amount(), line.taxRate(), line.tax(),
                line.details().stream().map(detail -> new Resource(detail.resourceId(), names.apply(detail.resourceId()), detail.quantity(),
                        detail.amount())).toList());
    }
}
