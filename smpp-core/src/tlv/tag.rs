//! What the table (`table.rs`) does not say about a tag: the vendor range
//! and the version that defined it.

use super::TlvTag;
use super::table::placement;

impl TlvTag {
    /// v5.0 name of the `destination_port` tag (0x020B). [`Self::from_name`]
    /// takes either name; [`Self::name`] gives `destination_port`.
    pub const DEST_PORT: Self = Self::DESTINATION_PORT;

    /// True for tags in the vendor-specific range 0x1400-0x3FFF.
    pub const fn is_vendor_specific(self) -> bool {
        matches!(self.0, 0x1400..=0x3FFF)
    }

    /// True for the tags SMPP v5.0 added: those no PDU of v3.4 carries.
    pub const fn is_v50_only(self) -> bool {
        matches!(placement(self), Some((0, _)))
    }
}
