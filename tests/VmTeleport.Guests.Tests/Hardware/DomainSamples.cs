namespace VmTeleport.Guests.Tests.Hardware;

/// <summary>
/// Domain XMLs shaped like what virt-install and libvirtd write on Debian 12 (libvirt 9.0):
/// a BIOS i440fx server and a UEFI q35 desktop, plus the config-file header libvirtd adds.
/// </summary>
internal static class DomainSamples
{
    /// <summary>i440fx, SeaBIOS, memory in KiB, a virtio qcow2 disk over a two-layer backing chain, a NAT NIC.</summary>
    public const string BiosI440fx = """
        <!--
        WARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE
        OVERWRITTEN AND LOST. Changes to this xml configuration should be made using:
          virsh edit web1
        or other application using the libvirt API.
        -->

        <domain type='kvm'>
          <name>web1</name>
          <uuid>0b8a6c1e-2f44-4d0a-9a55-6f1d2c3b4a5e</uuid>
          <title>LAMP front end</title>
          <metadata>
            <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
              <libosinfo:os id="http://debian.org/debian/12"/>
            </libosinfo:libosinfo>
          </metadata>
          <memory unit='KiB'>4194304</memory>
          <currentMemory unit='KiB'>2097152</currentMemory>
          <vcpu placement='static' current='2'>4</vcpu>
          <os>
            <type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type>
            <boot dev='hd'/>
            <boot dev='cdrom'/>
          </os>
          <features>
            <acpi/>
            <apic/>
            <vmport state='off'/>
          </features>
          <cpu mode='host-passthrough' check='none' migratable='on'/>
          <clock offset='utc'>
            <timer name='rtc' tickpolicy='catchup'/>
          </clock>
          <on_poweroff>destroy</on_poweroff>
          <on_reboot>restart</on_reboot>
          <on_crash>destroy</on_crash>
          <devices>
            <emulator>/usr/bin/qemu-system-x86_64</emulator>
            <disk type='file' device='disk'>
              <driver name='qemu' type='qcow2' discard='unmap'/>
              <source file='/var/lib/libvirt/images/web1.qcow2'/>
              <backingStore type='file'>
                <format type='qcow2'/>
                <source file='/var/lib/libvirt/images/debian12-base.qcow2'/>
                <backingStore type='file'>
                  <format type='raw'/>
                  <source file='/var/lib/libvirt/images/golden.raw'/>
                  <backingStore/>
                </backingStore>
              </backingStore>
              <target dev='vda' bus='virtio'/>
              <serial>WEB1-ROOT</serial>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'/>
            </disk>
            <disk type='file' device='cdrom'>
              <driver name='qemu' type='raw'/>
              <target dev='hdc' bus='ide'/>
              <readonly/>
              <address type='drive' controller='0' bus='1' target='0' unit='0'/>
            </disk>
            <controller type='usb' index='0' model='piix3-uhci'>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x2'/>
            </controller>
            <controller type='pci' index='0' model='pci-root'/>
            <controller type='ide' index='0'>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x1'/>
            </controller>
            <interface type='network'>
              <mac address='52:54:00:6b:3c:58'/>
              <source network='default'/>
              <model type='virtio'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/>
            </interface>
            <serial type='pty'>
              <target type='isa-serial' port='0'>
                <model name='isa-serial'/>
              </target>
            </serial>
            <console type='pty'>
              <target type='serial' port='0'/>
            </console>
            <input type='mouse' bus='ps2'/>
            <input type='keyboard' bus='ps2'/>
            <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'>
              <listen type='address' address='127.0.0.1'/>
            </graphics>
            <video>
              <model type='cirrus' vram='16384' heads='1' primary='yes'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
            </video>
            <memballoon model='virtio'>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>
            </memballoon>
          </devices>
        </domain>
        """;

    /// <summary>
    /// q35, OVMF with secure boot and a per-domain nvram, memory in GiB, a storage-pool volume,
    /// a raw block device on virtio-scsi, a SATA cdrom, a bridge NIC and a macvtap NIC, a TPM.
    /// </summary>
    public const string UefiQ35 = """
        <domain type='kvm'>
          <name>desk-uefi</name>
          <uuid>5e0f4d5a-93a4-4c33-8f3e-0a4b2d6c7e81</uuid>
          <memory unit='GiB'>8</memory>
          <currentMemory unit='GiB'>6</currentMemory>
          <vcpu placement='static'>4</vcpu>
          <os>
            <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
            <loader readonly='yes' secure='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.ms.fd</loader>
            <nvram template='/usr/share/OVMF/OVMF_VARS_4M.ms.fd'>/var/lib/libvirt/qemu/nvram/desk-uefi_VARS.fd</nvram>
          </os>
          <features>
            <acpi/>
            <apic/>
            <smm state='on'/>
          </features>
          <cpu mode='custom' match='exact' check='partial'>
            <model fallback='forbid'>Skylake-Client-IBRS</model>
            <topology sockets='1' dies='1' cores='2' threads='2'/>
          </cpu>
          <clock offset='localtime'/>
          <pm>
            <suspend-to-mem enabled='no'/>
            <suspend-to-disk enabled='no'/>
          </pm>
          <devices>
            <emulator>/usr/bin/qemu-system-x86_64</emulator>
            <disk type='volume' device='disk'>
              <driver name='qemu' type='qcow2'/>
              <source pool='default' volume='desk-uefi.qcow2'/>
              <target dev='vda' bus='virtio'/>
              <boot order='1'/>
            </disk>
            <disk type='block' device='disk'>
              <driver name='qemu' type='raw' cache='none' io='native'/>
              <source dev='/dev/vg0/desk-data'/>
              <target dev='sdb' bus='scsi'/>
              <shareable/>
            </disk>
            <disk type='file' device='cdrom'>
              <driver name='qemu' type='raw'/>
              <source file='/var/lib/libvirt/boot/debian-12.8.0-amd64-netinst.iso'/>
              <target dev='sda' bus='sata'/>
              <readonly/>
              <boot order='2'/>
            </disk>
            <controller type='sata' index='0'/>
            <controller type='pci' index='0' model='pcie-root'/>
            <controller type='pci' index='1' model='pcie-root-port'/>
            <controller type='pci' index='2' model='pcie-root-port'/>
            <controller type='scsi' index='0' model='virtio-scsi'/>
            <controller type='usb' index='0' model='qemu-xhci' ports='15'/>
            <interface type='bridge'>
              <mac address='52:54:00:A1:B2:C3'/>
              <source bridge='br0'/>
              <model type='e1000e'/>
            </interface>
            <interface type='direct'>
              <mac address='52:54:00:d4:e5:f6'/>
              <source dev='eno1' mode='bridge'/>
              <model type='virtio'/>
            </interface>
            <tpm model='tpm-crb'>
              <backend type='emulator' version='2.0'/>
            </tpm>
            <graphics type='spice' autoport='yes'>
              <listen type='address'/>
              <image compression='off'/>
            </graphics>
            <video>
              <model type='qxl' ram='65536' vram='65536' vgamem='16384' heads='1' primary='yes'/>
            </video>
          </devices>
        </domain>
        """;

    /// <summary>A snapshot as libvirtd stores it (with &lt;active&gt; and the domain inside).</summary>
    public const string StoredSnapshot = """
        <!--
        WARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE
        OVERWRITTEN AND LOST. Changes to this xml configuration should be made using:
          virsh snapshot-edit
        or other application using the libvirt API.
        -->

        <domainsnapshot>
          <name>before-upgrade</name>
          <description>clean install, packages pinned</description>
          <state>shutoff</state>
          <parent>
            <name>installed</name>
          </parent>
          <creationTime>1732000000</creationTime>
          <memory snapshot='no'/>
          <disks>
            <disk name='vda' snapshot='internal'/>
            <disk name='hdc' snapshot='no'/>
          </disks>
          <domain type='kvm'>
            <name>web1</name>
            <uuid>0b8a6c1e-2f44-4d0a-9a55-6f1d2c3b4a5e</uuid>
            <memory unit='KiB'>4194304</memory>
          </domain>
          <active>1</active>
        </domainsnapshot>
        """;

    /// <summary>Replaces the first occurrence of <paramref name="from"/>, failing when it is absent so a test cannot silently test the original.</summary>
    public static string With(this string xml, string from, string to)
    {
        int at = xml.IndexOf(from, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new ArgumentException($"'{from}' is not in the sample");
        }

        return string.Concat(xml.AsSpan(0, at), to, xml.AsSpan(at + from.Length));
    }
}
