package io.freehold.agent.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.libvirt.Connect;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.ErrorCallback;
import org.libvirt.LibvirtException;

import io.freehold.agent.guest.GuestFailure.Code;

class GuestFailureTest {

    private Connect connect;

    @BeforeEach
    void connect() throws LibvirtException {
        Connect.setErrorCallback(new ErrorCallback());
        connect = new Connect("test:///default");
    }

    @AfterEach
    void close() throws LibvirtException {
        connect.close();
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "malformed XML                         | VIR_ERR_XML_ERROR            | INVALID_DEFINITION",
            "XML against the schema                | VIR_ERR_XML_INVALID_SCHEMA   | INVALID_DEFINITION",
            "device or machine QEMU lacks          | VIR_ERR_CONFIG_UNSUPPORTED   | INVALID_DEFINITION",
            "CPU model the host cannot provide     | VIR_ERR_CPU_INCOMPATIBLE     | INVALID_DEFINITION",
            "network the host does not have        | VIR_ERR_NO_NETWORK           | INVALID_DEFINITION",
            "domain undefined meanwhile            | VIR_ERR_NO_DOMAIN            | NO_SUCH_DOMAIN",
            "stale domain handle                   | VIR_ERR_INVALID_DOMAIN       | NO_SUCH_DOMAIN",
            "domain already exists                 | VIR_ERR_DOM_EXIST            | CONFLICT",
            "state changed by someone else         | VIR_ERR_OPERATION_INVALID    | CONFLICT",
            "UUID held by another name             | VIR_ERR_OPERATION_FAILED     | OPERATION_FAILED",
            "QEMU would not start                  | VIR_ERR_INTERNAL_ERROR       | OPERATION_FAILED",
            "a system call failed                  | VIR_ERR_SYSTEM_ERROR         | OPERATION_FAILED",
            "timed out inside libvirt              | VIR_ERR_OPERATION_TIMEOUT    | OPERATION_FAILED",
            "libvirt out of memory                 | VIR_ERR_NO_MEMORY            | INSUFFICIENT_RESOURCES",
            "storage volume missing                | VIR_ERR_NO_STORAGE_VOL       | STORAGE",
            "image format not recognised           | VIR_ERR_STORAGE_PROBE_FAILED | STORAGE",
            "daemon not reachable                  | VIR_ERR_NO_CONNECT           | UNAVAILABLE",
            "connection lost                       | VIR_ERR_RPC                  | UNAVAILABLE",
            "call the driver does not support      | VIR_ERR_NO_SUPPORT           | INTERNAL",
            "flag the driver does not support      | VIR_ERR_INVALID_ARG          | INTERNAL",
            "nothing libvirt could name            | VIR_ERR_UNKNOWN              | INTERNAL",
    })
    void classifiesLibvirtErrorNumbers(String caseName, ErrorNumber number, Code expected) {
        assertThat(GuestFailure.classify(number)).isEqualTo(expected);
    }

    /** Real failures from libvirt's test driver: the code comes from the error number, the reason keeps libvirt's words. */
    @Test
    void aReasonCarriesTheActionLibvirtsMessageAndTheErrorNumber() {
        LibvirtException absent = catchThrowableOfType(() -> connect.domainLookupByName("i-absent"), LibvirtException.class);
        GuestFailure failure = GuestFailure.of("look up i-absent", absent);

        assertThat(failure.code()).isEqualTo(Code.NO_SUCH_DOMAIN);
        assertThat(failure.reason()).startsWith("look up i-absent: ").contains(absent.getError().getMessage())
                .endsWith("(libvirt VIR_ERR_NO_DOMAIN)");
    }

    @Test
    void libvirtRefusingADefinitionIsAnInvalidDefinition() {
        LibvirtException refused = catchThrowableOfType(() -> connect.domainDefineXML("<domain type='test'><name>i-x"),
                LibvirtException.class);

        assertThat(GuestFailure.of("define i-x", refused).code()).isEqualTo(Code.INVALID_DEFINITION);
    }
}
