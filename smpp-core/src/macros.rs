//! The crate's macros: the table macro (an open newtype over a wire integer,
//! one constant per specification row, a name lookup, and a `Debug` that
//! prints the name or hex), the declaration of a PDU body, and small `impl`s
//! that several types share.

/// A name given as a string literal or as an identifier, as a `&str`.
macro_rules! name_str {
    ($name:literal) => {
        $name
    };
    ($name:ident) => {
        stringify!($name)
    };
}

/// Defines an open newtype over a wire integer.
///
/// Each row is `CONST = value, "spec name";`, or `CONST = value, "spec
/// name" | "other name";` for a value that another version of the
/// specification names differently: `name` gives the first name,
/// `from_name` takes either. A name may be an identifier instead of a
/// string literal. Unknown values are valid instances (the
/// newtype is open), so decoding never rejects them and they round-trip
/// unchanged.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub struct $name:ident($repr:ty);
        $( $(#[$cmeta:meta])* $konst:ident = $value:literal, $text:tt $(| $alias:tt)*; )*
    ) => {
        newtype!($(#[$meta])* pub struct $name($repr););

        impl $name {
            $( $(#[$cmeta])* #[doc = concat!("`", name_str!($text), "`")] pub const $konst: Self = Self($value); )*

            /// Every value the specification names, in table order.
            pub const ALL: &'static [Self] = &[$(Self::$konst),*];

            /// The specification's name for this value, or `None` if it names none.
            pub const fn name(self) -> Option<&'static str> {
                match self.0 {
                    $( $value => Some(name_str!($text)), )*
                    _ => None,
                }
            }

            /// Looks a value up by its specification name (exact match);
            /// where SMPP v3.4 and v5.0 name a value differently, either
            /// name.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $( name_str!($text) $(| name_str!($alias))* => Some(Self::$konst), )*
                    _ => None,
                }
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self.name() {
                    Some(name) => f.write_str(name),
                    None => write!(f, concat!(stringify!($name), "({:#x})"), self.0),
                }
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                core::fmt::Debug::fmt(self, f)
            }
        }
    };
}

/// `Display` for a type with a `name()`: the name.
macro_rules! display_name {
    ($($ty:ty),+) => {
        $(impl core::fmt::Display for $ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.name())
            }
        })+
    };
}

/// An open newtype over a wire integer: every value is an instance, it
/// converts from and to the integer, and serializes as the integer.
macro_rules! newtype {
    ($(#[$meta:meta])* pub struct $name:ident($repr:ty);) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(transparent))]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        pub struct $name(pub $repr);

        impl From<$repr> for $name {
            fn from(value: $repr) -> Self {
                Self(value)
            }
        }

        impl From<$name> for $repr {
            fn from(value: $name) -> Self {
                value.0
            }
        }
    };
}

/// Declares a PDU body: a struct generic over the storage `B` of its octet
/// fields, with the derives every body has (and, with the `serde` feature,
/// deserialization into any `B` built from a `Vec<u8>`).
///
/// The fields are listed in wire order, each ending with a comma: written
/// out (`/// doc`, `name: Type`), or one of the fields that several bodies
/// share, which brings its type and doc:
/// - `service_type`; `short_message` (the octets counted by `sm_length`);
/// - `submit { DESTINATION }`: the fields of `submit_sm` and `submit_multi`
///   (see [`submit_codec!`]), `DESTINATION` being the fields between
///   `source_addr` and `esm_class`;
/// - `name: Type` without a doc: the doc is the field's name;
/// - `source_addr(MAX)` and `destination_addr(MAX)`: the address (at most
///   `MAX` octets) after its `_ton` and `_npi` fields, and the same for
///   `esme_addr(MAX)`; a string literal after `MAX` ends the address's doc.
macro_rules! body_struct {
    ($(#[$meta:meta])* pub struct $ty:ident { $($fields:tt)* }) => {
        body_struct!(@fields [[$(#[$meta])*] $ty] [] $($fields)*);
    };
    (@fields [[$($attr:tt)*] $ty:ident] [$($out:tt)*]) => {
        $($attr)*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(bound(serialize = "")))]
        #[cfg_attr(
            feature = "serde",
            serde(bound(deserialize = "B: From<alloc::vec::Vec<u8>>"))
        )]
        pub struct $ty<B: AsRef<[u8]>> { $($out)* }
    };
    (@fields $head:tt $out:tt submit { $($destination:tt)* }, $($rest:tt)*) => {
        body_struct!(@fields $head $out
            service_type,
            source_addr(21),
            $($destination)*
            esm_class: $crate::values::EsmClass,
            /// `protocol_id` (GSM TP-PID).
            protocol_id: u8,
            priority_flag: $crate::values::PriorityFlag,
            /// `schedule_delivery_time` (empty or an SMPP time, see [`crate::time`]).
            schedule_delivery_time: $crate::types::COctet<B>,
            /// `validity_period` (empty or an SMPP time, see [`crate::time`]).
            validity_period: $crate::types::COctet<B>,
            registered_delivery: $crate::values::RegisteredDelivery,
            replace_if_present_flag: $crate::values::ReplaceIfPresentFlag,
            data_coding: $crate::values::DataCoding,
            sm_default_msg_id: u8,
            short_message,
            /// The TLVs.
            tlvs: $crate::tlv::Tlvs<B>,
            $($rest)*
        );
    };
    (@fields $head:tt [$($out:tt)*] service_type, $($rest:tt)*) => {
        body_struct!(@fields $head [$($out)*
            /// `service_type` (max 6).
            pub service_type: $crate::types::COctet<B>,
        ] $($rest)*);
    };
    (@fields $head:tt [$($out:tt)*] short_message, $($rest:tt)*) => {
        body_struct!(@fields $head [$($out)*
            /// `short_message` (0-255 octets; its length is `sm_length`).
            #[cfg_attr(feature = "serde", serde(with = "crate::serde::octets"))]
            pub short_message: B,
        ] $($rest)*);
    };
    (@fields $head:tt $out:tt source_addr($max:literal $(, $note:literal)?), $($rest:tt)*) => {
        body_struct!(@address $head $out [source_addr_ton source_addr_npi source_addr]
            $max [$($note)?] $($rest)*);
    };
    (@fields $head:tt $out:tt destination_addr($max:literal $(, $note:literal)?), $($rest:tt)*) => {
        body_struct!(@address $head $out [dest_addr_ton dest_addr_npi destination_addr]
            $max [$($note)?] $($rest)*);
    };
    (@fields $head:tt $out:tt esme_addr($max:literal $(, $note:literal)?), $($rest:tt)*) => {
        body_struct!(@address $head $out [esme_addr_ton esme_addr_npi esme_addr]
            $max [$($note)?] $($rest)*);
    };
    (@fields $head:tt [$($out:tt)*] $(#[$fmeta:meta])+ $name:ident: $fty:ty, $($rest:tt)*) => {
        body_struct!(@fields $head [$($out)* $(#[$fmeta])+ pub $name: $fty,] $($rest)*);
    };
    (@fields $head:tt [$($out:tt)*] $name:ident: $fty:ty, $($rest:tt)*) => {
        body_struct!(@fields $head [$($out)*
            #[doc = concat!("`", stringify!($name), "`.")]
            pub $name: $fty,
        ] $($rest)*);
    };
    (@address $head:tt [$($out:tt)*] [$ton:ident $npi:ident $addr:ident]
        $max:literal [$($note:literal)?] $($rest:tt)*) => {
        body_struct!(@fields $head [$($out)*
            #[doc = concat!("`", stringify!($ton), "`.")]
            pub $ton: $crate::values::Ton,
            #[doc = concat!("`", stringify!($npi), "`.")]
            pub $npi: $crate::values::Npi,
            #[doc = concat!("`", stringify!($addr), "` (max ", $max, ")", $($note,)? ".")]
            pub $addr: $crate::types::COctet<B>,
        ] $($rest)*);
    };
}
