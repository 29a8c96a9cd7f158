//! Macros shared by the modules of this crate.

/// The methods the two `Request` types (the async session's and the
/// blocking client's) share: each holds its `pdu` and an
/// `Option<Responder>` that answers once. `$see` is the line that points to
/// the example calling them; the attributes before `respond` document it.
macro_rules! request_methods {
    ($see:literal, $(#[$respond:meta])*) => {
        /// The request.
        ///
        #[doc = $see]
        pub fn pdu(&self) -> &Pdu {
            &self.pdu
        }

        /// The request's `command_id`.
        ///
        #[doc = $see]
        pub fn command_id(&self) -> CommandId {
            self.pdu.command_id()
        }

        /// True if the request awaits a response (all but
        /// `alert_notification`).
        ///
        #[doc = $see]
        pub fn needs_answer(&self) -> bool {
            self.responder.is_some()
        }

        $(#[$respond])*
        pub fn respond(mut self, answer: Answer) {
            if let Some(responder) = self.responder.take() {
                responder.answer(answer);
            }
        }
    };
}
