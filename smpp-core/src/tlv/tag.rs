//! TLV tags (SMPP v5.0 4.8, Table 4-60; v3.4 5.3.2).

open_enum! {
/// A TLV tag. Open: vendor tags (0x1400-0x3FFF) and unknown tags are kept.
pub struct TlvTag(u16);
DEST_ADDR_SUBUNIT = 0x0005, "dest_addr_subunit";
DEST_NETWORK_TYPE = 0x0006, "dest_network_type";
DEST_BEARER_TYPE = 0x0007, "dest_bearer_type";
DEST_TELEMATICS_ID = 0x0008, "dest_telematics_id";
SOURCE_ADDR_SUBUNIT = 0x000D, "source_addr_subunit";
SOURCE_NETWORK_TYPE = 0x000E, "source_network_type";
SOURCE_BEARER_TYPE = 0x000F, "source_bearer_type";
SOURCE_TELEMATICS_ID = 0x0010, "source_telematics_id";
QOS_TIME_TO_LIVE = 0x0017, "qos_time_to_live";
PAYLOAD_TYPE = 0x0019, "payload_type";
ADDITIONAL_STATUS_INFO_TEXT = 0x001D, "additional_status_info_text";
RECEIPTED_MESSAGE_ID = 0x001E, "receipted_message_id";
MS_MSG_WAIT_FACILITIES = 0x0030, "ms_msg_wait_facilities";
PRIVACY_INDICATOR = 0x0201, "privacy_indicator";
SOURCE_SUBADDRESS = 0x0202, "source_subaddress";
DEST_SUBADDRESS = 0x0203, "dest_subaddress";
USER_MESSAGE_REFERENCE = 0x0204, "user_message_reference";
USER_RESPONSE_CODE = 0x0205, "user_response_code";
SOURCE_PORT = 0x020A, "source_port";
DESTINATION_PORT = 0x020B, "destination_port" | "dest_port";
SAR_MSG_REF_NUM = 0x020C, "sar_msg_ref_num";
LANGUAGE_INDICATOR = 0x020D, "language_indicator";
SAR_TOTAL_SEGMENTS = 0x020E, "sar_total_segments";
SAR_SEGMENT_SEQNUM = 0x020F, "sar_segment_seqnum";
SC_INTERFACE_VERSION = 0x0210, "sc_interface_version";
CALLBACK_NUM_PRES_IND = 0x0302, "callback_num_pres_ind";
CALLBACK_NUM_ATAG = 0x0303, "callback_num_atag";
NUMBER_OF_MESSAGES = 0x0304, "number_of_messages";
CALLBACK_NUM = 0x0381, "callback_num";
DPF_RESULT = 0x0420, "dpf_result";
SET_DPF = 0x0421, "set_dpf";
MS_AVAILABILITY_STATUS = 0x0422, "ms_availability_status";
NETWORK_ERROR_CODE = 0x0423, "network_error_code";
MESSAGE_PAYLOAD = 0x0424, "message_payload";
DELIVERY_FAILURE_REASON = 0x0425, "delivery_failure_reason";
MORE_MESSAGES_TO_SEND = 0x0426, "more_messages_to_send";
MESSAGE_STATE = 0x0427, "message_state";
CONGESTION_STATE = 0x0428, "congestion_state";
USSD_SERVICE_OP = 0x0501, "ussd_service_op";
BROADCAST_CHANNEL_INDICATOR = 0x0600, "broadcast_channel_indicator";
BROADCAST_CONTENT_TYPE = 0x0601, "broadcast_content_type";
BROADCAST_CONTENT_TYPE_INFO = 0x0602, "broadcast_content_type_info";
BROADCAST_MESSAGE_CLASS = 0x0603, "broadcast_message_class";
BROADCAST_REP_NUM = 0x0604, "broadcast_rep_num";
BROADCAST_FREQUENCY_INTERVAL = 0x0605, "broadcast_frequency_interval";
BROADCAST_AREA_IDENTIFIER = 0x0606, "broadcast_area_identifier";
BROADCAST_ERROR_STATUS = 0x0607, "broadcast_error_status";
BROADCAST_AREA_SUCCESS = 0x0608, "broadcast_area_success";
BROADCAST_END_TIME = 0x0609, "broadcast_end_time";
BROADCAST_SERVICE_GROUP = 0x060A, "broadcast_service_group";
BILLING_IDENTIFICATION = 0x060B, "billing_identification";
SOURCE_NETWORK_ID = 0x060D, "source_network_id";
DEST_NETWORK_ID = 0x060E, "dest_network_id";
SOURCE_NODE_ID = 0x060F, "source_node_id";
DEST_NODE_ID = 0x0610, "dest_node_id";
DEST_ADDR_NP_RESOLUTION = 0x0611, "dest_addr_np_resolution";
DEST_ADDR_NP_INFORMATION = 0x0612, "dest_addr_np_information";
DEST_ADDR_NP_COUNTRY = 0x0613, "dest_addr_np_country";
DISPLAY_TIME = 0x1201, "display_time";
SMS_SIGNAL = 0x1203, "sms_signal";
MS_VALIDITY = 0x1204, "ms_validity";
ALERT_ON_MESSAGE_DELIVERY = 0x130C, "alert_on_message_delivery";
ITS_REPLY_TYPE = 0x1380, "its_reply_type";
ITS_SESSION_INFO = 0x1383, "its_session_info";}

impl TlvTag {
    /// v5.0 name of the `destination_port` tag (0x020B). [`Self::from_name`]
    /// takes either name; [`Self::name`] gives `destination_port`.
    pub const DEST_PORT: Self = Self::DESTINATION_PORT;

    /// True for tags in the vendor-specific range 0x1400-0x3FFF.
    pub const fn is_vendor_specific(self) -> bool {
        matches!(self.0, 0x1400..=0x3FFF)
    }

    /// True for the tags SMPP v5.0 added.
    pub const fn is_v50_only(self) -> bool {
        matches!(self.0, 0x0428 | 0x0600..=0x0613)
    }
}
