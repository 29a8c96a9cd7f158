//! The one table macro: an open newtype over a wire integer, one constant per
//! specification row, a name lookup, and a `Debug` that prints the name or hex.

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
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(transparent))]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        pub struct $name(pub $repr);

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

/// `Serialize` and `Deserialize` (feature `serde`) for types that derive
/// them with `#[serde(remote = "Self")]` (which makes them inherent
/// functions): deserializing then runs the type's `validate`. A `Body` (and
/// so a `Pdu`) serializes where `B: Debug`: the derive has an error message
/// for variants added later (`#[non_exhaustive]`).
macro_rules! validated {
    ($($ty:ident $(: $bound:path)?),* $(,)?) => {$(
        impl<B: AsRef<[u8]> $(+ $bound)?> serde::Serialize for $crate::$ty<B> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $crate::$ty::serialize(self, s)
            }
        }

        impl<'de, B: AsRef<[u8]> + From<alloc::vec::Vec<u8>>> serde::Deserialize<'de>
            for $crate::$ty<B> {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let value = $crate::$ty::deserialize(d)?;
                value.validate().map_err(serde::de::Error::custom)?;
                Ok(value)
            }
        }
    )*};
}
