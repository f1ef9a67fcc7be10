// PhoneNumber: a customer's WhatsApp id (wa_id: the number's digits, country code first) shown in
// international form, "+49 15123456789": the country code set apart by the ITU-T E.164 table, the
// national number as given. Pure.
#pragma once

#include <QString>

namespace PhoneNumber {

// "+CC NATIONAL"; a wa_id that is not a phone number (letters, too short or long for E.164) comes back
// trimmed, as it was.
QString international(const QString &waId);
// The length of the country calling code `digits` starts with (1 to 3), 0 when none is assigned.
int countryCodeLength(const QString &digits);

} // namespace PhoneNumber
