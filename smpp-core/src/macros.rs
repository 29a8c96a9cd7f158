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

        repr_conversions!($name($repr));
    };
}

/// `From` both ways between a newtype and the wire integer it wraps.
macro_rules! repr_conversions {
    ($name:ident($repr:ty)) => {
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
