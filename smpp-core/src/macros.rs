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

/// Declares a PDU body and its codec from one list of its fields in wire
/// order: a struct generic over the storage `B` of its octet fields, with
/// the derives every body has (and, with the `serde` feature,
/// deserialization into any `B` built from a `Vec<u8>`), and its
/// [`body_codec!`].
///
/// Each entry ends with a comma and is one of:
/// - `/// doc` `name: Type = cstr(CONST)`, a C-Octet String of
///   [`crate::fields`], or `= list(Type)`, a counted entry list;
/// - `int { name: Type = Field, ... }`: a run of Integer1 fields read with
///   one length check, each with its doc or, without one, its name as doc;
/// - `service_type`; `message_id`; `delivery_times`, the
///   `schedule_delivery_time` and `validity_period` that follow each other;
///   `short_message` (the octets counted by `sm_length`); a string literal
///   in parentheses after `message_id` or `delivery_times` ends their docs;
///   `/// doc` `tlvs`, or `tlvs(REQUIRED)` for a region that must carry
///   every tag of `REQUIRED`;
/// - `source_addr(MAX = CONST)`, `destination_addr(...)`, `esme_addr(...)`:
///   the address (the C-Octet String `CONST` of `MAX` octets at most) after
///   its `_ton` and `_npi` fields; a string literal after `CONST` ends the
///   address's doc;
/// - `submit { DESTINATION }`: the fields of `submit_sm` and `submit_multi`,
///   `DESTINATION` being the entries between `source_addr` and `esm_class`.
///
/// The constants of [`crate::fields`] it names must be in scope.
///
/// After the struct, `fields NAME` names the hidden exported macro that
/// hands the fields to another crate's macro: `NAME!(then! { args })` is
/// `then! { args { ... } }`, one `kind name,` per field in wire order
/// (`cstr`, `int name: Type`, `short_message`, `list`, `tlvs`), from which
/// the smpp-std builders take their setters.
macro_rules! body_struct {
    ($(#[$meta:meta])* pub struct $ty:ident { $($entries:tt)* } fields $hook:ident) => {
        body_struct!(@next [[] [[$(#[$meta])*] $ty $hook]] [] [] $($entries)*);
    };
    (@next [[$($list:tt)*] [[$($attr:tt)*] $ty:ident $hook:ident]]
        [$($field:tt)*] [$($codec:tt)*]) => {
        $($attr)*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(bound(serialize = "")))]
        #[cfg_attr(
            feature = "serde",
            serde(bound(deserialize = "B: From<alloc::vec::Vec<u8>>"))
        )]
        pub struct $ty<B: AsRef<[u8]>> { $($field)* }

        body_codec!($ty: $($codec)*);
        body_struct!(@hook [$] $ty $hook $($list)*);
    };
    (@hook [$d:tt] $ty:ident $hook:ident $($list:tt)*) => {
        #[doc = concat!(
            "Hands the fields of `", stringify!($ty),
            "` to the macro `$then`, after the tokens `$args` (see `body_struct!`)."
        )]
        #[doc(hidden)]
        #[macro_export]
        macro_rules! $hook {
            ($d then:ident! { $d($d args:tt)* }) => {
                $d then! { $d($d args)* { $($list)* } }
            };
        }
    };
    (@next $head:tt $fields:tt $codec:tt submit { $($destination:tt)* }, $($rest:tt)*) => {
        body_struct!(@next $head $fields $codec
            service_type,
            source_addr(21 = SOURCE_ADDR),
            $($destination)*
            int {
                esm_class: $crate::values::EsmClass = EsmClass,
                /// `protocol_id` (GSM TP-PID).
                protocol_id: u8 = ProtocolId,
                priority_flag: $crate::values::PriorityFlag = PriorityFlag,
            },
            delivery_times,
            int {
                registered_delivery: $crate::values::RegisteredDelivery = RegisteredDelivery,
                replace_if_present_flag: $crate::values::ReplaceIfPresentFlag = ReplaceIfPresentFlag,
                data_coding: $crate::values::DataCoding = DataCoding,
                sm_default_msg_id: u8 = SmDefaultMsgId,
            },
            short_message,
            /// The TLVs.
            tlvs,
            $($rest)*
        );
    };
    (@next [[$($list:tt)*] $h:tt] [$($field:tt)*] [$($codec:tt)*] service_type, $($rest:tt)*) => {
        const _: () = assert!(SERVICE_TYPE.max == 6, "`service_type` is documented with max 6");
        body_struct!(@next [[$($list)* cstr service_type,] $h] [$($field)*
            /// `service_type` (max 6).
            pub service_type: $crate::types::COctet<B>,
        ] [$($codec)* cstr[service_type = SERVICE_TYPE],] $($rest)*);
    };
    (@next $head:tt $fields:tt $codec:tt message_id $(($note:literal))?, $($rest:tt)*) => {
        const _: () = assert!(MESSAGE_ID.max == 65, "`message_id` is documented with max 65");
        body_struct!(@next $head $fields $codec
            #[doc = concat!("`message_id` (max 65)", $($note,)? ".")]
            message_id: $crate::types::COctet<B> = cstr(MESSAGE_ID),
            $($rest)*
        );
    };
    (@next $head:tt $fields:tt $codec:tt delivery_times $(($note:literal))?, $($rest:tt)*) => {
        body_struct!(@next $head $fields $codec
            #[doc = concat!(
                "`schedule_delivery_time` (empty or an SMPP time, see [`crate::time`])",
                $($note,)? "."
            )]
            schedule_delivery_time: $crate::types::COctet<B> = cstr(SCHEDULE_DELIVERY_TIME),
            #[doc = concat!(
                "`validity_period` (empty or an SMPP time, see [`crate::time`])",
                $($note,)? "."
            )]
            validity_period: $crate::types::COctet<B> = cstr(VALIDITY_PERIOD),
            $($rest)*
        );
    };
    (@next [[$($list:tt)*] $h:tt] [$($field:tt)*] [$($codec:tt)*] short_message, $($rest:tt)*) => {
        body_struct!(@next [[$($list)* short_message short_message,] $h] [$($field)*
            /// `short_message` (0-255 octets; its length is `sm_length`).
            #[cfg_attr(feature = "serde", serde(with = "crate::serde::octets"))]
            pub short_message: B,
        ] [$($codec)* short_message[short_message],] $($rest)*);
    };
    (@next [[$($list:tt)*] $h:tt] [$($field:tt)*] [$($codec:tt)*]
        $(#[$fmeta:meta])+ tlvs $(($required:ident))?, $($rest:tt)*) => {
        body_struct!(@next [[$($list)* tlvs tlvs,] $h]
            [$($field)* $(#[$fmeta])+ pub tlvs: $crate::tlv::Tlvs<B>,]
            [$($codec)* tlvs[tlvs $(= $required)?],] $($rest)*);
    };
    (@next [[$($list:tt)*] $h:tt] [$($field:tt)*] [$($codec:tt)*]
        $(#[$fmeta:meta])+ $name:ident: $fty:ty = $kind:ident($arg:ident), $($rest:tt)*) => {
        body_struct!(@next [[$($list)* $kind $name,] $h] [$($field)* $(#[$fmeta])+ pub $name: $fty,]
            [$($codec)* $kind[$name = $arg],] $($rest)*);
    };
    (@next $head:tt $fields:tt $codec:tt int { $($ints:tt)* }, $($rest:tt)*) => {
        body_struct!(@int $head $fields $codec [] [$($ints)*] $($rest)*);
    };
    (@next $head:tt $fields:tt $codec:tt source_addr $address:tt, $($rest:tt)*) => {
        body_struct!(@address $head $fields $codec [source_addr_ton = SourceAddrTon,
            source_addr_npi = SourceAddrNpi, source_addr] $address $($rest)*);
    };
    (@next $head:tt $fields:tt $codec:tt destination_addr $address:tt, $($rest:tt)*) => {
        body_struct!(@address $head $fields $codec [dest_addr_ton = DestAddrTon,
            dest_addr_npi = DestAddrNpi, destination_addr] $address $($rest)*);
    };
    (@next $head:tt $fields:tt $codec:tt esme_addr $address:tt, $($rest:tt)*) => {
        body_struct!(@address $head $fields $codec [esme_addr_ton = EsmeAddrTon,
            esme_addr_npi = EsmeAddrNpi, esme_addr] $address $($rest)*);
    };
    // The `_ton`, `_npi` and address fields of an address.
    (@address [[$($list:tt)*] $h:tt] [$($field:tt)*] [$($codec:tt)*]
        [$ton:ident = $ton_field:ident, $npi:ident = $npi_field:ident, $addr:ident]
        ($max:literal = $c:ident $(, $note:literal)?) $($rest:tt)*) => {
        // The maximum in the doc is the one the field's constant enforces.
        const _: () = assert!($max == $c.max, concat!(
            "`", stringify!($addr), "` is documented with a maximum other than ", stringify!($c), "'s"
        ));
        body_struct!(@next [[$($list)* int $ton: $crate::values::Ton, int $npi: $crate::values::Npi,
            cstr $addr,] $h] [$($field)*
            #[doc = concat!("`", stringify!($ton), "`.")]
            pub $ton: $crate::values::Ton,
            #[doc = concat!("`", stringify!($npi), "`.")]
            pub $npi: $crate::values::Npi,
            #[doc = concat!("`", stringify!($addr), "` (max ", $max, ")", $($note,)? ".")]
            pub $addr: $crate::types::COctet<B>,
        ] [$($codec)* int[$ton = $ton_field, $npi = $npi_field], cstr[$addr = $c],] $($rest)*);
    };
    // The fields of an `int { ... }` run, one by one, then its codec entry.
    (@int $head:tt $fields:tt [$($codec:tt)*] [$(($name:ident $f:ident))+] [] $($rest:tt)*) => {
        body_struct!(@next $head $fields [$($codec)* int[$($name = $f),+],] $($rest)*);
    };
    (@int [[$($list:tt)*] $h:tt] [$($field:tt)*] $codec:tt [$($ints:tt)*]
        [$(#[$fmeta:meta])+ $name:ident: $fty:ty = $f:ident $(, $($more:tt)*)?] $($rest:tt)*) => {
        body_struct!(@int [[$($list)* int $name: $fty,] $h]
            [$($field)* $(#[$fmeta])+ pub $name: $fty,] $codec
            [$($ints)* ($name $f)] [$($($more)*)?] $($rest)*);
    };
    (@int $head:tt $fields:tt $codec:tt $ints:tt [$name:ident: $($more:tt)*] $($rest:tt)*) => {
        body_struct!(@int $head $fields $codec $ints
            [#[doc = concat!("`", stringify!($name), "`.")] $name: $($more)*] $($rest)*);
    };
}
