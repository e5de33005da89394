package io.freehold.agent.guest;

/** The libvirt domain type: hardware virtualisation, or QEMU's software emulation (TCG) where KVM does not work. */
public enum DomainType {
    KVM("kvm"), QEMU("qemu");

    private final String xmlName;

    DomainType(String xmlName) {
        this.xmlName = xmlName;
    }

    /**
     * @param kvmUsable the honest verdict of {@link io.freehold.agent.facts.KvmDetection}, never the mere existence of
     *                  {@code /dev/kvm}: a domain of type kvm on a paravirtual KVM module hangs stock guest kernels,
     *                  while software emulation is slow but always boots
     */
    public static DomainType choose(boolean kvmUsable) {
        return kvmUsable ? KVM : QEMU;
    }

    /** The value of the domain's {@code type} attribute. */
    public String xmlName() {
        return xmlName;
    }
}
