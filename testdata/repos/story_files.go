package repos

// Contents of the story repository's files as tagged v1.4.0 (production), and
// of the files the recette month creates. Edits in story.go anchor on exact
// lines of these texts: change them and the story's SHAs (pinned by a test)
// change too.

const (
	javaDir    = "src/main/java/com/example/pay/"
	testDir    = "src/test/java/com/example/pay/"
	i18nDir    = "src/main/resources/i18n/"
	webDir     = "src/main/webapp/"
	migrations = "db/migration/"

	pathBooking          = javaDir + "booking/Booking.java"
	pathBookingService   = javaDir + "booking/BookingService.java"
	pathBookingMailer    = javaDir + "booking/BookingMailer.java"
	pathBookingExporter  = javaDir + "booking/BookingExporter.java"
	pathPriceCalculator  = javaDir + "pricing/PriceCalculator.java"
	pathRates            = javaDir + "pricing/Rates.java"
	pathMoney            = javaDir + "pricing/Money.java"
	pathRateCache        = javaDir + "pricing/RateCache.java"
	pathGateway          = javaDir + "payment/PaymentGateway.java"
	pathCardValidator    = javaDir + "payment/CardValidator.java"
	pathSepaPayment      = javaDir + "payment/SepaPayment.java"
	pathInvoiceFormatter = javaDir + "invoice/InvoiceFormatter.java"
	pathConverter        = javaDir + "currency/CurrencyConverter.java"
	pathLoyaltyService   = javaDir + "loyalty/LoyaltyService.java"
	pathAuditLog         = javaDir + "audit/AuditLog.java"
	pathPriceTest        = testDir + "pricing/PriceCalculatorTest.java"
	pathCardTest         = testDir + "payment/CardValidatorTest.java"
	pathMoneyTest        = testDir + "pricing/MoneyTest.java"
	pathMessagesEN       = i18nDir + "messages_en.properties"
	pathMessagesFR       = i18nDir + "messages_fr.properties" // ISO-8859-1, as Java wants properties files
	pathLegacyRates      = "src/main/resources/config/legacy-rates.properties"
	pathLog4j            = "src/main/resources/log4j.properties" // a symbolic link
	pathLog4jProd        = "src/main/resources/log4j-prod.properties"
	pathLog4jShared      = "src/main/resources/log4j-shared.properties"
	pathBookingJSP       = webDir + "booking.jsp"
	pathBookingView      = webDir + "WEB-INF/views/booking.jsp"
	pathCardFormView     = webDir + "WEB-INF/views/card-form.jsp"
	pathErrorView        = webDir + "WEB-INF/views/error.jsp"
	pathWebXML           = webDir + "WEB-INF/web.xml"
	pathHeaderJSP        = webDir + "header.jsp"
	pathFooterJSP        = webDir + "footer.jsp"
	pathLogo             = webDir + "img/logo.png"
	pathDeploy           = "scripts/deploy.sh"
	pathPom              = "pom.xml"
	pathReadme           = "README.md"
	pathArchitecture     = "docs/architecture.md"
	pathReleaseNotes     = "docs/release-notes.md"
	pathPaymentFlows     = "docs/payment-flows.md"
)

const pomXML = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>pay</artifactId>
  <version>1.4.0</version>
  <packaging>war</packaging>

  <dependencies>
    <dependency>
      <groupId>postgresql</groupId>
      <artifactId>postgresql</artifactId>
      <version>8.4-701.jdbc4</version>
    </dependency>
    <dependency>
      <groupId>javax.mail</groupId>
      <artifactId>mail</artifactId>
      <version>1.4.1</version>
    </dependency>
    <dependency>
      <groupId>junit</groupId>
      <artifactId>junit</artifactId>
      <version>4.8.2</version>
      <scope>test</scope>
    </dependency>
  </dependencies>
</project>
`

const readmeMD = `# PAY

Booking and payment application of the hotel group: customers book rooms,
pay by card and recieve their invoice by e-mail.

## Build

    mvn package

## Deploy

    scripts/deploy.sh recette
    scripts/deploy.sh production
`

const architectureMD = `# Architecture

PAY is a Java web application (Servlet 2.5, JSP views) on Tomcat 6 and PostgreSQL 8.4.

## Packages

- booking: bookings and the booking flow (BookingService)
- pricing: prices, rates, rounding (PriceCalculator, Rates, Money)
- payment: card payments through the bank's gateway (PaymentGateway)
- invoice: invoices sent after payment (InvoiceFormatter)
- currency: conversion for foreign customers (CurrencyConverter)

## Database

Migrations live in db/migration and run at start-up, in version order.
`

const releaseNotesMD = `# Release notes

## 1.4.0 (2011-01-28)

- Group bookings get the group rate (PAY-85).
- Invoices show discounts (PAY-88).
- Card numbers are checked with the Luhn algorithm (PAY-80).
`

const deploySH = `#!/bin/sh
# Deploys the war to the recette or production server.
set -e
ENV=${1:-recette}
mvn -q package
scp target/pay.war deploy@$ENV.pay.example.com:/opt/tomcat/webapps/
`

const bookingJava = `package com.example.pay.booking;

import java.math.BigDecimal;

/**
 * A booking of one or more nights for one customer. 
 * Prices are in euros, taxes excluded until the booking is priced. 
 */
public class Booking {

    private String id;
    private String customerId;
    private BigDecimal basePrice;
    private int nights;
    private boolean group;
    private boolean paid;
    private BigDecimal price;

    public String getId() {
        return id;
    }

    public String getCustomerId() {
        return customerId;
    }

    public BigDecimal getBasePrice() {
        return basePrice;
    }

    public void setBasePrice(BigDecimal basePrice) {
        this.basePrice = basePrice;
    }

    public int getNights() {
        return nights;
    }

    public void setNights(int nights) {
        this.nights = nights;
    }

    public boolean isGroup() {
        return group;
    }

    public void setGroup(boolean group) {
        this.group = group;
    }

    public boolean isPaid() {
        return paid;
    }

    public void setPaid(boolean paid) {
        this.paid = paid;
    }

    public BigDecimal getPrice() {
        return price;
    }

    public void setPrice(BigDecimal price) {
        this.price = price;
    }
}
`

const bookingServiceJava = `package com.example.pay.booking;

import java.util.List;

import com.example.pay.payment.PaymentGateway;
import com.example.pay.pricing.PriceCalculator;

/**
 * Books, pays and lists bookings.
 */
public class BookingService {

    private final BookingRepository repository;
    private final PaymentGateway gateway;
    private final PriceCalculator calculator = new PriceCalculator();

    public BookingService(BookingRepository repository, PaymentGateway gateway) {
        this.repository = repository;
        this.gateway = gateway;
    }

    public Booking book(Booking booking) {
        booking.setPrice(calculator.totalOf(booking));
        return repository.save(booking);
    }

    public void pay(Booking booking, String cardNumber) {
        gateway.charge(cardNumber, booking.getPrice());
        booking.setPaid(true);
        repository.save(booking);
    }

    public List<Booking> bookingsOf(String customerId) {
        return repository.findByCustomer(customerId);
    }
}
`

const priceCalculatorJava = `package com.example.pay.pricing;

import java.math.BigDecimal;
import java.util.List;

import com.example.pay.booking.Booking;

/**
 * Computes the price of a booking, taxes included.
 */
public class PriceCalculator {

    private final Money money = new Money();

    public BigDecimal priceOf(Booking booking) {
        BigDecimal price = booking.getBasePrice().multiply(BigDecimal.valueOf(booking.getNights()));
        if (booking.isGroup()) {
            price = price.multiply(Rates.GROUP_BOOK_RATE);
        }
        return money.round(price);
    }

    public BigDecimal taxOf(Booking booking) {
        return money.round(priceOf(booking).multiply(Rates.VAT));
    }

    public BigDecimal totalOf(Booking booking) {
        return priceOf(booking).add(taxOf(booking));
    }

    public BigDecimal basketTotal(List<Booking> basket) {
        BigDecimal total = BigDecimal.ZERO;
        for (Booking booking : basket) {
            total = total.add(totalOf(booking));
        }
        return total;
    }
}
`

const ratesJava = `package com.example.pay.pricing;

import java.math.BigDecimal;

/**
 * Rates applied to bookings and invoices.
 */
public final class Rates {

    /** Standard VAT rate in metropolitan France. */
    public static final BigDecimal VAT = new BigDecimal("0.196");

    /** VAT rate in the overseas departments. */
    public static final BigDecimal VAT_OVERSEAS = new BigDecimal("0.196");

    /** Rate applied to a standard booking. */
    public static final BigDecimal STANDARD_BOOK_RATE = BigDecimal.ONE;

    /** Rate applied to a group booking (ten people or more). */
    public static final BigDecimal GROUP_BOOK_RATE = new BigDecimal("0.90");

    /** Day of the month the rates are refreshed. */
    public static final int REFRESH_DAY = 1;

    private Rates() {
    }
}
`

const moneyJava = `package com.example.pay.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.util.Locale;

/**
 * Rounding and formatting of amounts in euros.
 */
public class Money {

    private static final int SCALE = 2;

    public BigDecimal round(BigDecimal amount) {
        return amount.setScale(SCALE, RoundingMode.HALF_EVEN);
    }

    public String format(BigDecimal amount) {
        NumberFormat format = NumberFormat.getCurrencyInstance(Locale.FRANCE);
        return format.format(round(amount));
    }
}
`

const gatewayJava = `package com.example.pay.payment;

import java.math.BigDecimal;

/**
 * Client of the bank's card payment gateway.
 */
public class PaymentGateway {

    private static final int TIMEOUT_SECONDS = 10;

    private final GatewayClient client;

    public PaymentGateway(GatewayClient client) {
        this.client = client;
    }

    public void charge(String cardNumber, BigDecimal amount) {
        GatewayResponse response = client.send(cardNumber, amount, TIMEOUT_SECONDS);
        if (!response.isAccepted()) {
            throw new PaymentDeclinedException(response.getReason());
        }
    }

    public void refund(String transactionId, BigDecimal amount) {
        client.refund(transactionId, amount, TIMEOUT_SECONDS);
    }
}
`

const cardValidatorJava = `package com.example.pay.payment;

import java.util.Calendar;

/**
 * Checks card numbers and expiry dates before calling the gateway.
 */
public class CardValidator {

    public boolean isValidNumber(String number) {
        if (number == null) {
            return false;
        }
        return number.matches("[0-9]{13,19}") && luhn(number);
    }

    public boolean isValidExpiry(int month, int year, Calendar today) {
        int currentYear = today.get(Calendar.YEAR);
        int currentMonth = today.get(Calendar.MONTH) + 1;
        if (year < currentYear) {
            return false;
        }
        return year > currentYear || month >= currentMonth;
    }

    private boolean luhn(String number) {
        int sum = 0;
        boolean doubled = false;
        for (int i = number.length() - 1; i >= 0; i--) {
            int digit = number.charAt(i) - '0';
            if (doubled) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }
}
`

const invoiceFormatterJava = `package com.example.pay.invoice;

import java.math.BigDecimal;

import com.example.pay.pricing.Money;
import com.example.pay.pricing.Rates;

/**
 * Renders an invoice as plain text for the PDF generator.
 */
public class InvoiceFormatter {

    private static final String SEPARATOR = "----------------------------------------\n";

    private final Money money = new Money();

    public String format(Invoice invoice) {
        StringBuilder sb = new StringBuilder();
        sb.append(header(invoice));
        for (InvoiceLine line : invoice.getLines()) {
            sb.append(line.getDiscount() == null ? formatLine(line) : discountLine(line));
        }
        sb.append(totalLine(invoice));
        return sb.toString();
    }

    private String header(Invoice invoice) {
        return "Invoice " + invoice.getNumber() + "\n" + SEPARATOR;
    }

    private String formatLine(InvoiceLine line) {
        return String.format("%-30s %10s%n", line.getLabel(), money.format(line.getAmount()));
    }

    private String totalLine(Invoice invoice) {
        BigDecimal vat = invoice.getTotal().multiply(Rates.VAT);
        return String.format("%-30s %10s%n%-30s %10s%n", "VAT", money.format(vat),
                "Total", money.format(invoice.getTotal().add(vat)));
    }

    private String discountLine(InvoiceLine line) {
        String label = "Discount ";
        return String.format("%-30s %10s%n", label + line.getLabel(), money.format(line.getDiscount()));
    }
}
`

const converterJava = `package com.example.pay.currency;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Converts amounts between currencies using the bank's daily rates.
 */
public class CurrencyConverter {

    private final RateProvider provider;

    public CurrencyConverter(RateProvider provider) {
        this.provider = provider;
    }

    public BigDecimal convert(BigDecimal amount, String from, String to) {
        if (from.equals(to)) {
            return amount;
        }
        BigDecimal rate = provider.rate(from, to);
        return amount.multiply(rate).setScale(2, RoundingMode.HALF_UP);
    }
}
`

const priceTestJava = `package com.example.pay.pricing;

import static org.junit.Assert.assertEquals;

import java.math.BigDecimal;

import org.junit.Test;

import com.example.pay.booking.Booking;

public class PriceCalculatorTest {

    private final PriceCalculator calculator = new PriceCalculator();

    @Test
    public void groupBookingsGetTheGroupRate() {
        Booking booking = new Booking();
        booking.setBasePrice(new BigDecimal("100.00"));
        booking.setNights(2);
        booking.setGroup(true);
        assertEquals(new BigDecimal("180.00"), calculator.priceOf(booking));
    }
}
`

const cardTestJava = `package com.example.pay.payment;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Calendar;
import java.util.GregorianCalendar;

import org.junit.Test;

public class CardValidatorTest {

    private final CardValidator validator = new CardValidator();

    @Test
    public void acceptsAValidVisaNumber() {
        assertTrue(validator.isValidNumber("4970101234567899"));
    }

    @Test
    public void rejectsExpiredCards() {
        Calendar today = new GregorianCalendar(2011, Calendar.FEBRUARY, 1);
        assertFalse(validator.isValidExpiry(12, 2010, today));
    }
}
`

const messagesEN = `# Booking screens
booking.title=Book a room
booking.nights=Nights
booking.price=Price
booking.group=Group rate applied
booking.pay=Pay now
booking.cancel=Cancel booking

# Payment
payment.card.number=Card number
payment.card.expiry=Expiry date
payment.error.declined=Your card was declined.
payment.error.timeout=The bank did not answer, please try again.

# Invoices
invoice.total=Total
invoice.vat=VAT
`

// messagesFR is ISO-8859-1 (\xe9 is é), as Java reads properties files; the
// two payment errors are not translated yet (PAY-112 does it).
const messagesFR = "# Ecrans de r\xe9servation\n" +
	"booking.title=R\xe9server une chambre\n" +
	"booking.nights=Nuits\n" +
	"booking.price=Prix\n" +
	"booking.group=Tarif groupe appliqu\xe9\n" +
	"booking.pay=Payer maintenant\n" +
	"booking.cancel=Annuler la r\xe9servation\n" +
	"\n" +
	"# Paiement\n" +
	"payment.card.number=Num\xe9ro de carte\n" +
	"payment.card.expiry=Date d'expiration\n" +
	"payment.error.declined=Your card was declined.\n" +
	"payment.error.timeout=The bank did not answer, please try again.\n" +
	"\n" +
	"# Factures\n" +
	"invoice.total=Total\n" +
	"invoice.vat=TVA\n"

const legacyRates = `# Legacy rate table, read by the night batch (batch/NightlyInvoices)
# season;rate
low;0.85
mid;1.00
high;1.25
`

const log4jProd = `log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.DailyRollingFileAppender
log4j.appender.file.File=/var/log/pay/pay.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=%d %-5p [%c] %m%n
`

const bookingJSP = `<%@ page contentType="text/html; charset=UTF-8" %>
<%@ taglib prefix="c" uri="http://java.sun.com/jsp/jstl/core" %>
<%@ taglib prefix="fmt" uri="http://java.sun.com/jsp/jstl/fmt" %>
<%@ include file="header.jsp" %>
<h1><fmt:message key="booking.title"/></h1>
<form method="post" action="book">
  <label for="nights"><fmt:message key="booking.nights"/></label>
  <input type="number" id="nights" name="nights" min="1" value="${booking.nights}"/>

  <p class="price">
    <fmt:message key="booking.price"/>:
    <fmt:formatNumber value="${booking.basePrice}" type="currency" currencyCode="EUR"/>
  </p>

  <c:if test="${booking.group}">
    <p class="group"><fmt:message key="booking.group"/></p>
  </c:if>

  <button type="submit"><fmt:message key="booking.pay"/></button>
  <a href="cancel?id=${booking.id}"><fmt:message key="booking.cancel"/></a>
</form>
<%@ include file="footer.jsp" %>
`

const errorJSP = `<%@ page contentType="text/html; charset=UTF-8" isErrorPage="true" %>
<%@ include file="/header.jsp" %>
<h1>Sorry, something went wrong.</h1>
<p>Reference: ${requestScope['javax.servlet.error.request_uri']}</p>
<%@ include file="/footer.jsp" %>
`

const webXML = `<?xml version="1.0" encoding="UTF-8"?>
<web-app xmlns="http://java.sun.com/xml/ns/javaee" version="2.5">
  <display-name>PAY</display-name>
  <servlet>
    <servlet-name>booking</servlet-name>
    <servlet-class>com.example.pay.web.BookingController</servlet-class>
  </servlet>
  <servlet-mapping>
    <servlet-name>booking</servlet-name>
    <url-pattern>/book</url-pattern>
  </servlet-mapping>
  <error-page>
    <error-code>500</error-code>
    <location>/WEB-INF/views/error.jsp</location>
  </error-page>
</web-app>
`

const headerJSP = `<html>
<head><title>PAY</title><link rel="stylesheet" href="/css/pay.css"/></head>
<body>
<img src="/img/logo.png" alt="PAY"/>
`

const footerJSP = `<p class="footer">PAY SAS</p>
</body>
</html>
`

const migrationInit = `CREATE TABLE booking (
    id          VARCHAR(36) PRIMARY KEY,
    customer_id VARCHAR(36) NOT NULL,
    base_price  NUMERIC(10, 2) NOT NULL,
    nights      INTEGER NOT NULL,
    is_group    BOOLEAN NOT NULL DEFAULT FALSE,
    paid        BOOLEAN NOT NULL DEFAULT FALSE,
    price       NUMERIC(10, 2)
);

CREATE INDEX booking_customer ON booking (customer_id);
`

const migrationInvoices = `CREATE TABLE invoice (
    number     VARCHAR(20) PRIMARY KEY,
    booking_id VARCHAR(36) NOT NULL REFERENCES booking (id),
    total      NUMERIC(10, 2) NOT NULL,
    issued_at  TIMESTAMP NOT NULL
);
`

const migrationRates = `CREATE TABLE rate (
    season VARCHAR(10) PRIMARY KEY,
    rate   NUMERIC(4, 2) NOT NULL
);

INSERT INTO rate VALUES ('low', 0.85), ('mid', 1.00), ('high', 1.25);
`

// Files the recette month creates.

const bookingMailerJava = `package com.example.pay.booking;

import java.util.ResourceBundle;

/**
 * Sends the e-mails of the booking flow.
 */
public class BookingMailer {

    private final ResourceBundle messages = ResourceBundle.getBundle("i18n/messages");

    public void sendConfirmation(Booking booking) {
        send(booking.getCustomerId(), messages.getString("mail.confirmation.subject"));
    }

    private void send(String customerId, String subject) {
        // The SMTP relay is configured in the container (java:comp/env/mail/Session).
        MailQueue.post(customerId, subject);
    }
}
`

const rateCacheJava = `package com.example.pay.pricing;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps the rates of the current day in memory: the rate table is read once a day.
 */
public class RateCache {

    private final Map<String, BigDecimal> rates = new HashMap<String, BigDecimal>();
    private int day = -1;

    public synchronized BigDecimal rate(String season, int today, RateTable table) {
        if (today != day) {
            rates.clear();
            day = today;
        }
        BigDecimal rate = rates.get(season);
        if (rate == null) {
            rate = table.load(season);
            rates.put(season, rate);
        }
        return rate;
    }
}
`

const sepaPaymentJava = `package com.example.pay.payment;

import java.util.regex.Pattern;

/**
 * A payment by SEPA direct debit.
 */
public class SepaPayment {

    private static final Pattern IBAN = Pattern.compile("[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}");

    private final String iban;
    private final String mandateReference;

    public SepaPayment(String iban, String mandateReference) {
        this.iban = iban;
        this.mandateReference = mandateReference;
    }

    public boolean isValid() {
        return IBAN.matcher(iban).matches() && isValidMandate();
    }

    boolean isValidMandate() {
        return mandateReference != null;
    }

    public String getIban() {
        return iban;
    }

    public String getMandateReference() {
        return mandateReference;
    }
}
`

const migrationSepa = `CREATE TABLE sepa_mandate (
    reference   VARCHAR(64) PRIMARY KEY,
    customer_id VARCHAR(36) NOT NULL,
    iban        VARCHAR(34) NOT NULL,
    signed_at   DATE NOT NULL
);
`

const migrationMandateLength = `ALTER TABLE sepa_mandate ALTER COLUMN reference TYPE VARCHAR(35);
`

const loyaltyServiceJava = `package com.example.pay.loyalty;

import com.example.pay.booking.Booking;

/**
 * Credits loyalty points: one point per euro spent, taxes excluded.
 */
public class LoyaltyService {

    private static final LoyaltyService INSTANCE = new LoyaltyService();

    public static LoyaltyService instance() {
        return INSTANCE;
    }

    public int pointsFor(Booking booking) {
        return booking.getPrice().intValue();
    }

    public void credit(Booking booking) {
        LoyaltyAccounts.add(booking.getCustomerId(), pointsFor(booking));
    }
}
`

const migrationLoyalty = `CREATE TABLE loyalty_account (
    customer_id VARCHAR(36) PRIMARY KEY,
    points      INTEGER NOT NULL DEFAULT 0
);
`

const paymentFlowsMD = `# Payment flows

## Card

1. BookingService.pay calls PaymentGateway.charge.
2. The gateway answers within TIMEOUT_SECONDS, or the payment is retried once.

## SEPA direct debit

1. The customer signs a mandate; its reference (35 characters at most) is stored in sepa_mandate.
2. The bank debits the account at the end of the stay.
`

const bookingExporterJava = `package com.example.pay.booking;

import java.util.List;

/**
 * Writes bookings as CSV for the accounting department.
 */
public class BookingExporter {

    private static final String HEADER = "id;nights;paid";

    public String toCsv(List<Booking> bookings) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Booking booking : bookings) {
            sb.append(booking.getId()).append(';');
            sb.append(booking.getNights()).append(';');
            sb.append(booking.isPaid()).append('\n');
        }
        return sb.toString();
    }
}
`

const cardFormJSP = `<%@ page contentType="text/html; charset=UTF-8" %>
<%@ taglib prefix="fmt" uri="http://java.sun.com/jsp/jstl/fmt" %>
<form method="post" action="pay" class="card-form">
  <label for="number"><fmt:message key="payment.card.number"/></label>
  <input type="text" id="number" name="number" autocomplete="off"/>

  <label for="expiry"><fmt:message key="payment.card.expiry"/></label>
  <input type="text" id="expiry" name="expiry" placeholder="MM/YY"/>

  <button type="submit"><fmt:message key="booking.pay"/></button>
</form>
`

const auditLogJava = `package com.example.pay.audit;

import java.math.BigDecimal;
import java.util.Date;

/**
 * Records every refund with who asked for it, for the auditors.
 */
public class AuditLog {

    public void refund(String transactionId, BigDecimal amount, String user) {
        AuditStore.append(new Date(), "REFUND", transactionId, amount.toPlainString(), user);
    }
}
`

const moneyTestJava = `package com.example.pay.pricing;

import static org.junit.Assert.assertEquals;

import java.math.BigDecimal;

import org.junit.Test;

public class MoneyTest {

    @Test
    public void roundsHalfUp() {
        assertEquals(new BigDecimal("0.13"), new Money().round(new BigDecimal("0.125")));
    }
}
`

const log4jShared = `log4j.rootLogger=${log.level}, file
log4j.appender.file=org.apache.log4j.DailyRollingFileAppender
log4j.appender.file.File=/var/log/pay/pay.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=%d %-5p [%c] %m%n
`
