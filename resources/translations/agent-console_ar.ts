<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar">
<context>
    <name>AppSettings</name>
    <message>
        <location filename="../../app/appsettings.cpp" line="+25"/>
        <source>Enter the API URL.</source>
        <translation>أدخل عنوان URL للواجهة البرمجية.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The API URL must be an http:// or https:// address, e.g. https://chat.example.com.</source>
        <translation>يجب أن يكون عنوان URL للواجهة البرمجية عنوان http:// أو https://، مثل https://chat.example.com.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The API URL must not contain a user name or password.</source>
        <translation>يجب ألا يحتوي عنوان URL للواجهة البرمجية على اسم مستخدم أو كلمة مرور.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter the tenant.</source>
        <translation>أدخل المستأجر.</translation>
    </message>
</context>
<context>
    <name>AttachmentChip</name>
    <message>
        <location filename="../../widgets/attachmentchip.cpp" line="+23"/>
        <source>Attachment</source>
        <translation>مرفق</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Remove the attachment</source>
        <translation>إزالة المرفق</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove attachment</source>
        <translation>إزالة المرفق</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sends the reply without this file</source>
        <translation>يرسل الرد دون هذا الملف</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 · preparing…</source>
        <translation>%1 · قيد التحضير…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Attached file</source>
        <translation>الملف المرفق</translation>
    </message>
</context>
<context>
    <name>AttachmentCopies</name>
    <message>
        <location filename="../../models/attachmentcopies.cpp" line="+53"/>
        <source>“%1” could not be kept for sending: %2</source>
        <translation>تعذّر الاحتفاظ بـ«%1» لإرساله: %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the folder %1 cannot be created</source>
        <translation>لا يمكن إنشاء المجلد %1</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>it is larger than %1</source>
        <translation>حجمه أكبر من %1</translation>
    </message>
</context>
<context>
    <name>AttachmentRules</name>
    <message>
        <location filename="../../models/attachment.cpp" line="+71"/>
        <source>“%1” cannot be read.</source>
        <translation>لا يمكن قراءة «%1».</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“%1” is empty.</source>
        <translation>«%1» فارغ.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“%1” is %2; files up to %3 can be sent.</source>
        <translation>حجم «%1» هو %2؛ يمكن إرسال ملفات حتى %3.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“%1” cannot be sent: only photos (JPEG, PNG, WebP), PDF, text, audio (OGG, MP3) and MP4 videos are allowed.</source>
        <translation>لا يمكن إرسال «%1»: المسموح به فقط الصور (JPEG وPNG وWebP) وPDF والنصوص والصوت (OGG وMP3) وفيديو MP4.</translation>
    </message>
</context>
<context>
    <name>CannedCompletion</name>
    <message>
        <location filename="../../widgets/cannedcompletion.cpp" line="+83"/>
        <location line="+3"/>
        <source>Canned responses</source>
        <translation>الردود الجاهزة</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Responses whose short code or text matches what follows the slash</source>
        <translation>الردود التي يطابق رمزها المختصر أو نصها ما يلي الشرطة المائلة</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Up and Down choose a response, Tab or Enter puts it in the reply, Escape closes the list</source>
        <translation>السهمان لأعلى ولأسفل يختاران ردًا، وTab أو Enter يضعه في الرد، وEscape يغلق القائمة</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Canned responses status</source>
        <translation>حالة الردود الجاهزة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Try again</source>
        <translation>حاول مرة أخرى</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Load the canned responses again</source>
        <translation>تحميل الردود الجاهزة مرة أخرى</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Asks the server for the canned responses once more</source>
        <translation>يطلب الردود الجاهزة من الخادم مرة أخرى</translation>
    </message>
    <message>
        <location line="+89"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Loading canned responses…</source>
        <translation>جارٍ تحميل الردود الجاهزة…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Canned responses could not be loaded: %1</source>
        <translation>تعذّر تحميل الردود الجاهزة: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This account has no canned responses.</source>
        <translation>لا توجد ردود جاهزة لهذا الحساب.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No canned response matches “%1”.</source>
        <translation>لا يوجد رد جاهز يطابق «%1».</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The list may be out of date: %1</source>
        <translation>قد تكون القائمة غير محدّثة: %1</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../widgets/composer.cpp" line="+43"/>
        <source>Write a reply…</source>
        <translation>اكتب ردًا…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reply</source>
        <translation>الرد</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enter sends the reply, Shift+Enter starts a new line</source>
        <translation>يرسل المفتاح Enter الرد، ويبدأ Shift+Enter سطرًا جديدًا</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Send</source>
        <translation>إرسال</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send reply</source>
        <translation>إرسال الرد</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sends the reply to the customer</source>
        <translation>يرسل الرد إلى العميل</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send reply (Enter)
New line: Shift+Enter</source>
        <translation>إرسال الرد (Enter)
سطر جديد: Shift+Enter</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Attach file</source>
        <translation>إرفاق ملف</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adds a photo or a file to the reply</source>
        <translation>يضيف صورة أو ملفًا إلى الرد</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attach file (Ctrl+O)
Or drop it here, or paste it</source>
        <translation>إرفاق ملف (Ctrl+O)
أو أفلته هنا أو الصقه</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Attachment refused</source>
        <translation>رُفض المرفق</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Reply length</source>
        <translation>طول الرد</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reply too long</source>
        <translation>الرد طويل جدًا</translation>
    </message>
    <message>
        <location line="+200"/>
        <source>The pasted picture cannot be read.</source>
        <translation>لا يمكن قراءة الصورة الملصقة.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The pasted picture could not be saved.</source>
        <translation>تعذّر حفظ الصورة الملصقة.</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>This reply is %Ln character(s) too long: WhatsApp takes at most %1 characters. Shorten it to send.</source>
        <translation>
            <numerusform>هذا الرد أطول من الحد بـ%Ln حرف: يقبل واتساب %1 حرف على الأكثر. اختصره لتتمكن من إرساله.</numerusform>
            <numerusform>هذا الرد أطول من الحد بحرف واحد: يقبل واتساب %1 حرف على الأكثر. اختصره لتتمكن من إرساله.</numerusform>
            <numerusform>هذا الرد أطول من الحد بحرفين: يقبل واتساب %1 حرف على الأكثر. اختصره لتتمكن من إرساله.</numerusform>
            <numerusform>هذا الرد أطول من الحد بـ%Ln أحرف: يقبل واتساب %1 حرف على الأكثر. اختصره لتتمكن من إرساله.</numerusform>
            <numerusform>هذا الرد أطول من الحد بـ%Ln حرفًا: يقبل واتساب %1 حرف على الأكثر. اختصره لتتمكن من إرساله.</numerusform>
            <numerusform>هذا الرد أطول من الحد بـ%Ln حرف: يقبل واتساب %1 حرف على الأكثر. اختصره لتتمكن من إرساله.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConnectionBanner</name>
    <message>
        <location filename="../../widgets/connectionbanner.cpp" line="+56"/>
        <source>Connection status</source>
        <translation>حالة الاتصال</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Whether replies can reach the customer right now</source>
        <translation>هل يمكن أن تصل الردود إلى العميل الآن</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Tries to connect again now</source>
        <translation>يحاول الاتصال مجددًا الآن</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Reconnect now</source>
        <translation>أعد الاتصال الآن</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>Connecting…</source>
        <translation>جارٍ الاتصال…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connected</source>
        <translation>متصل</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reconnecting in %1 s…</source>
        <translation>إعادة الاتصال خلال %1 ث…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reconnecting…</source>
        <translation>جارٍ إعادة الاتصال…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Disconnected</source>
        <translation>غير متصل</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Disconnected: %1</source>
        <translation>انقطع الاتصال: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connection error</source>
        <translation>خطأ في الاتصال</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 — trying again in %2 s…</source>
        <translation>%1 — محاولة جديدة خلال %2 ث…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 — trying again…</source>
        <translation>%1 — جارٍ المحاولة مجددًا…</translation>
    </message>
</context>
<context>
    <name>ConnectionForm</name>
    <message>
        <location filename="../../app/connectionform.cpp" line="+27"/>
        <source>API URL</source>
        <translation>عنوان URL للواجهة البرمجية</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Base address of the chat backend</source>
        <translation>العنوان الأساسي لخادم الدردشة</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tenant</source>
        <translation>المستأجر</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your organisation&apos;s tenant id</source>
        <translation>معرّف المستأجر الخاص بمؤسستك</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Optional: taken from the conversation</source>
        <translation>اختياري: يؤخذ من المحادثة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Integration</source>
        <translation>التكامل</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Optional integration id; the backend names it when left empty</source>
        <translation>معرّف تكامل اختياري؛ يحدده الخادم إذا تُرك فارغًا</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Token</source>
        <translation>الرمز المميز</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your API token; it is kept in the system keychain</source>
        <translation>رمز API الخاص بك؛ يُحفظ في سلسلة مفاتيح النظام</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Conversation</source>
        <translation>المحادثة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Id of the conversation to open; signing in checks it</source>
        <translation>معرّف المحادثة المراد فتحها؛ يتحقق منه تسجيل الدخول</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sign-in error</source>
        <translation>خطأ في تسجيل الدخول</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Checking the connection</source>
        <translation>جارٍ التحقق من الاتصال</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;API URL:</source>
        <translation>عنوا&amp;ن URL للواجهة البرمجية:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Tenant:</source>
        <translation>&amp;المستأجر:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Integration:</source>
        <translation>التكام&amp;ل:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To&amp;ken:</source>
        <translation>الر&amp;مز المميز:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Conversation:</source>
        <translation>المحا&amp;دثة:</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Unchanged</source>
        <translation>دون تغيير</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Enter your token.</source>
        <translation>أدخل الرمز المميز الخاص بك.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter the id of a conversation to open; signing in checks that it can be opened.</source>
        <translation>أدخل معرّف محادثة لفتحها؛ يتحقق تسجيل الدخول من إمكانية فتحها.</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Checking with %1…</source>
        <translation>جارٍ التحقق لدى %1…</translation>
    </message>
    <message>
        <location line="+34"/>
        <source> (server: %1)</source>
        <translation> (الخادم: %1)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The token was refused%1. Check the token and the tenant.</source>
        <translation>رُفض الرمز المميز%1. تحقق من الرمز المميز والمستأجر.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The token may not open conversations of this tenant%1.</source>
        <translation>لا يُسمح لهذا الرمز المميز بفتح محادثات هذا المستأجر%1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Conversation “%1” was not found%2. Check the conversation id, the tenant and the API URL.</source>
        <translation>لم يُعثر على المحادثة «%1»%2. تحقق من معرّف المحادثة والمستأجر وعنوان URL للواجهة البرمجية.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 answered HTTP %2: %3</source>
        <translation>أجاب %1 بالرمز HTTP %2: %3</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No answer from %1: %2</source>
        <translation>لا إجابة من %1: %2</translation>
    </message>
</context>
<context>
    <name>ConsoleLink</name>
    <message>
        <location filename="../../app/consolelink.cpp" line="+66"/>
        <source>The link opens conversation “%1” on %2, but the console is signed in to %3. Sign in to that server to open it.</source>
        <translation>يفتح الرابط المحادثة «%1» على %2، لكن وحدة التحكم مسجّلة الدخول إلى %3. سجّل الدخول إلى ذلك الخادم لفتحها.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The link opens conversation “%1” of tenant “%2”, but the console is signed in to tenant “%3”. Sign in to that tenant to open it.</source>
        <translation>يفتح الرابط المحادثة «%1» للمستأجر «%2»، لكن وحدة التحكم مسجّلة الدخول إلى المستأجر «%3». سجّل الدخول إلى ذلك المستأجر لفتحها.</translation>
    </message>
</context>
<context>
    <name>ConsoleSession</name>
    <message>
        <location filename="../../app/consolesession.cpp" line="+155"/>
        <source>Only the first %1 of %2 links were opened.</source>
        <translation>فُتحت أول %1 روابط فقط من أصل %2.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot open the link: %1</source>
        <translation>لا يمكن فتح الرابط: %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Link not opened</source>
        <translation>لم يُفتح الرابط</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>You signed out. Sign in to continue.</source>
        <translation>لقد سجّلت الخروج. سجّل الدخول للمتابعة.</translation>
    </message>
</context>
<context>
    <name>Conversation</name>
    <message>
        <location filename="../../conversation/conversation.cpp" line="+121"/>
        <source>%1 Replies are kept in memory only until they are sent.</source>
        <translation>%1 تُحفظ الردود في الذاكرة فقط إلى أن تُرسَل.</translation>
    </message>
</context>
<context>
    <name>ConversationAccessible</name>
    <message>
        <location filename="../../widgets/conversationaccessible.cpp" line="+18"/>
        <source>From customer</source>
        <translation>من العميل</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sent by you</source>
        <translation>أرسلتها أنت</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sent by you, %1</source>
        <translation>أرسلتها أنت، %1</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Attachment %1</source>
        <translation>مرفق %1</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Cancel upload</source>
        <translation>إلغاء الرفع</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retry sending message</source>
        <translation>إعادة محاولة إرسال الرسالة</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stops the upload; the reply is not sent</source>
        <translation>يوقف الرفع؛ لا يُرسل الرد</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sends this failed reply again</source>
        <translation>يعيد إرسال هذا الرد الذي فشل إرساله</translation>
    </message>
</context>
<context>
    <name>ConversationFind</name>
    <message>
        <location filename="../../app/conversationfind.cpp" line="+230"/>
        <source>Older messages cannot be loaded right now.</source>
        <translation>لا يمكن تحميل الرسائل الأقدم الآن.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Reached the start of the conversation: no older message matches.</source>
        <translation>تم الوصول إلى بداية المحادثة: لا توجد رسالة أقدم مطابقة.</translation>
    </message>
</context>
<context>
    <name>ConversationHeader</name>
    <message>
        <location filename="../../widgets/conversationheader.cpp" line="+29"/>
        <source>Customer</source>
        <translation>العميل</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Integration</source>
        <translation>التكامل</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Live connection</source>
        <translation>الاتصال المباشر</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+40"/>
        <source>Copy the phone number</source>
        <translation>نسخ رقم الهاتف</translation>
    </message>
    <message>
        <location line="-39"/>
        <source>Copies the customer&apos;s phone number to the clipboard</source>
        <translation>ينسخ رقم هاتف العميل إلى الحافظة</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Conversation header</source>
        <translation>ترويسة المحادثة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The customer&apos;s name and phone number, the integration and the connection</source>
        <translation>اسم العميل ورقم هاتفه والتكامل والاتصال</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>via %1</source>
        <translation>عبر %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Phone %1, copy</source>
        <translation>الهاتف %1، نسخ</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Copied</source>
        <translation>تم النسخ</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>● Connecting</source>
        <translation>● جارٍ الاتصال</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>● Live</source>
        <translation>● مباشر</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>● Reconnecting</source>
        <translation>● جارٍ إعادة الاتصال</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>● Offline</source>
        <translation>● غير متصل</translation>
    </message>
</context>
<context>
    <name>ConversationListModel</name>
    <message numerus="yes">
        <location filename="../../models/conversationlistmodel.cpp" line="+61"/>
        <source>, %n unread</source>
        <translation>
            <numerusform>، لا رسائل غير مقروءة</numerusform>
            <numerusform>، رسالة واحدة غير مقروءة</numerusform>
            <numerusform>، رسالتان غير مقروءتين</numerusform>
            <numerusform>، %n رسائل غير مقروءة</numerusform>
            <numerusform>، %n رسالة غير مقروءة</numerusform>
            <numerusform>، %n رسالة غير مقروءة</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>, %n not sent</source>
        <translation>
            <numerusform>، لا ردود غير مرسلة</numerusform>
            <numerusform>، رد واحد غير مرسل</numerusform>
            <numerusform>، ردّان غير مرسلين</numerusform>
            <numerusform>، %n ردود غير مرسلة</numerusform>
            <numerusform>، %n ردًا غير مرسل</numerusform>
            <numerusform>، %n رد غير مرسل</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, last message: %1</source>
        <translation>، آخر رسالة: %1</translation>
    </message>
</context>
<context>
    <name>ConversationPage</name>
    <message>
        <location filename="../../app/conversationpage.cpp" line="+197"/>
        <source>Attach file</source>
        <translation>إرفاق ملف</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Photos, PDF, text, audio and video (*.jpg *.jpeg *.png *.webp *.pdf *.txt *.ogg *.oga *.opus *.mp3 *.mp4)</source>
        <translation>الصور وPDF والنصوص والصوت والفيديو (*.jpg *.jpeg *.png *.webp *.pdf *.txt *.ogg *.oga *.opus *.mp3 *.mp4)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All files (*)</source>
        <translation>كل الملفات (*)</translation>
    </message>
    <message>
        <location line="+108"/>
        <source>Reconnect now</source>
        <translation>أعد الاتصال الآن</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Try again</source>
        <translation>حاول مجددًا</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Try now</source>
        <translation>حاول الآن</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Retry</source>
        <translation>إعا&amp;دة المحاولة</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Discard</source>
        <translation>حذ&amp;ف</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cancel &amp;upload</source>
        <translation>إلغاء ال&amp;رفع</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Open attachment</source>
        <translation>&amp;فتح المرفق</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Save attachment as…</source>
        <translation>&amp;حفظ المرفق باسم…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Copy text</source>
        <translation>نسخ &amp;النص</translation>
    </message>
</context>
<context>
    <name>ConversationRowDelegate</name>
    <message>
        <location filename="../../widgets/conversationrowdelegate.cpp" line="+53"/>
        <source>Yesterday</source>
        <translation>أمس</translation>
    </message>
</context>
<context>
    <name>ConversationSidebar</name>
    <message>
        <location filename="../../widgets/conversationsidebar.cpp" line="+23"/>
        <source>Open conversations</source>
        <translation>المحادثات المفتوحة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conversations you have open. Select one to show it; its context menu closes it.</source>
        <translation>المحادثات المفتوحة لديك. اختر محادثة لعرضها، وأغلقها من قائمتها السياقية.</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>&amp;Close conversation</source>
        <translation>&amp;إغلاق المحادثة</translation>
    </message>
</context>
<context>
    <name>ConversationView</name>
    <message>
        <location filename="../../widgets/conversationview.cpp" line="+37"/>
        <source>Conversation</source>
        <translation>المحادثة</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Messages of this conversation, oldest first</source>
        <translation>رسائل هذه المحادثة، الأقدم أولًا</translation>
    </message>
</context>
<context>
    <name>DemoBackend</name>
    <message>
        <location filename="../../app/demobackend.cpp" line="+29"/>
        <source>Cannot start the demo backend on a loopback port.</source>
        <translation>تعذّر تشغيل الخادم التجريبي على منفذ محلي (loopback).</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Hi {{customer.name}}, thanks for getting in touch! How can I help you today?</source>
        <translation>مرحبًا {{customer.name}}، شكرًا لتواصلك معنا! كيف يمكنني مساعدتك اليوم؟</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hi {{customer.name}}, your refund has been issued. It usually reaches your account within 3 to 5 business days.</source>
        <translation>مرحبًا {{customer.name}}، تم إصدار المبلغ المسترد. يصل عادةً إلى حسابك خلال 3 إلى 5 أيام عمل.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You can follow your parcel with the tracking link in your shipping email. Let me know if it has not moved in two days.</source>
        <translation>يمكنك تتبّع طردك عبر رابط التتبّع في رسالة الشحن. أخبرني إن لم يتحرك خلال يومين.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>We will call you back on {{customer.phone}} within the next hour.</source>
        <translation>سنعاود الاتصال بك على {{customer.phone}} خلال الساعة القادمة.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Thank you for your patience, {{customer.name}}. Is there anything else I can do for you?</source>
        <translation>شكرًا لصبرك يا {{customer.name}}. هل هناك أي شيء آخر يمكنني فعله لك؟</translation>
    </message>
</context>
<context>
    <name>FailedRepliesBar</name>
    <message>
        <location filename="../../widgets/failedrepliesbar.cpp" line="+18"/>
        <location line="+2"/>
        <source>Show the first reply not sent</source>
        <translation>عرض أول رد لم يُرسَل</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Scrolls to the first reply not sent and selects it</source>
        <translation>ينتقل إلى أول رد لم يُرسَل ويحدده</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Retry all</source>
        <translation>إعادة محاولة الكل</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retry all replies not sent</source>
        <translation>إعادة محاولة إرسال كل الردود غير المرسلة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sends every failed reply again, in order</source>
        <translation>يعيد إرسال كل الردود التي فشل إرسالها، بالترتيب</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discard all</source>
        <translation>حذف الكل</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discard all replies not sent</source>
        <translation>حذف كل الردود غير المرسلة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Removes every failed reply from the conversation</source>
        <translation>يزيل كل الردود التي فشل إرسالها من المحادثة</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Failed replies</source>
        <translation>ردود فشل إرسالها</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replies that could not be sent</source>
        <translation>ردود تعذّر إرسالها</translation>
    </message>
    <message numerus="yes">
        <location line="+15"/>
        <source>%n replies not sent</source>
        <translation>
            <numerusform>لم يُرسَل أي رد</numerusform>
            <numerusform>لم يُرسَل رد واحد</numerusform>
            <numerusform>لم يُرسَل ردّان</numerusform>
            <numerusform>لم تُرسَل %n ردود</numerusform>
            <numerusform>لم يُرسَل %n ردًا</numerusform>
            <numerusform>لم يُرسَل %n رد</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connection is back · %1</source>
        <translation>عاد الاتصال · %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1, show the first</source>
        <translation>%1، عرض الأول</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <location filename="../../widgets/findbar.cpp" line="+24"/>
        <location line="+3"/>
        <source>Find in conversation</source>
        <translation>البحث في المحادثة</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Finds text in the messages of this conversation</source>
        <translation>يبحث عن نص في رسائل هذه المحادثة</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Find</source>
        <translation>بحث</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Case and accents are ignored. Enter: next match (older), Shift+Enter: previous, Escape: close</source>
        <translation>يتم تجاهل حالة الأحرف والتشكيل. Enter: المطابقة التالية (الأقدم)، Shift+Enter: السابقة، Escape: إغلاق</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Matches</source>
        <translation>المطابقات</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Search progress</source>
        <translation>تقدّم البحث</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Newer match</source>
        <translation>مطابقة أحدث</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Goes to the match after this one in the conversation (Shift+F3)</source>
        <translation>ينتقل إلى المطابقة التي تلي هذه في المحادثة (Shift+F3)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Newer match (Shift+F3, Shift+Enter)</source>
        <translation>مطابقة أحدث (Shift+F3، Shift+Enter)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Older match</source>
        <translation>مطابقة أقدم</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Goes to the match before this one in the conversation (F3)</source>
        <translation>ينتقل إلى المطابقة التي تسبق هذه في المحادثة (F3)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Older match (F3, Enter)</source>
        <translation>مطابقة أقدم (F3، Enter)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Search older messages</source>
        <translation>البحث في الرسائل الأقدم</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loads older messages from the server until one matches</source>
        <translation>يحمّل رسائل أقدم من الخادم حتى تطابق إحداها</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>إيقاف</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop searching older messages</source>
        <translation>إيقاف البحث في الرسائل الأقدم</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stops loading older messages</source>
        <translation>يوقف تحميل الرسائل الأقدم</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Close find</source>
        <translation>إغلاق البحث</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closes the find bar (Escape)</source>
        <translation>يغلق شريط البحث (Escape)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close (Escape)</source>
        <translation>إغلاق (Escape)</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>%1 of %2</source>
        <translation>%1 من %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No matches</source>
        <translation>لا توجد مطابقات</translation>
    </message>
    <message numerus="yes">
        <location line="+21"/>
        <source>Searching older messages… %Ln loaded</source>
        <translation>
            <numerusform>جارٍ البحث في الرسائل الأقدم… لم تُحمَّل أي رسالة</numerusform>
            <numerusform>جارٍ البحث في الرسائل الأقدم… حُمِّلت رسالة واحدة</numerusform>
            <numerusform>جارٍ البحث في الرسائل الأقدم… حُمِّلت رسالتان</numerusform>
            <numerusform>جارٍ البحث في الرسائل الأقدم… حُمِّلت %Ln رسائل</numerusform>
            <numerusform>جارٍ البحث في الرسائل الأقدم… حُمِّلت %Ln رسالة</numerusform>
            <numerusform>جارٍ البحث في الرسائل الأقدم… حُمِّلت %Ln رسالة</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FreedesktopNotifier</name>
    <message>
        <location filename="../../app/freedesktopnotifier.cpp" line="+90"/>
        <source>Open</source>
        <translation>فتح</translation>
    </message>
</context>
<context>
    <name>HistorySync</name>
    <message>
        <location filename="../../conversation/historysync.cpp" line="+30"/>
        <source>Cannot open the conversation: %1</source>
        <translation>تعذّر فتح المحادثة: %1</translation>
    </message>
    <message>
        <location line="+119"/>
        <source>Cannot load the conversation: %1</source>
        <translation>تعذّر تحميل المحادثة: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not load messages: %1</source>
        <translation>تعذّر تحميل الرسائل: %1</translation>
    </message>
</context>
<context>
    <name>ImageDecoding</name>
    <message>
        <location filename="../../widgets/imagedecoding.cpp" line="+43"/>
        <source>The picture does not say how large it is.</source>
        <translation>لا تذكر الصورة أبعادها.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This is not a picture that can be shown.</source>
        <translation>هذه ليست صورة يمكن عرضها.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The picture is too large to show (%1 × %2 pixels).</source>
        <translation>الصورة أكبر من أن تُعرض (%1 × %2 بكسل).</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The picture cannot be read: %1</source>
        <translation>لا يمكن قراءة الصورة: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The file cannot be opened: %1</source>
        <translation>لا يمكن فتح الملف: %1</translation>
    </message>
</context>
<context>
    <name>ImageViewer</name>
    <message>
        <location filename="../../app/imageviewer.cpp" line="+31"/>
        <source>%1 — Agent Console</source>
        <translation>%1 — Agent Console</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Picture viewer</source>
        <translation>عارض الصور</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Picture</source>
        <translation>صورة</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Zoom</source>
        <translation>التكبير</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fit</source>
        <translation>ملاءمة</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fit to window</source>
        <translation>ملاءمة النافذة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>−</source>
        <translation>−</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Zoom out</source>
        <translation>تصغير</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>+</source>
        <translation>+</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Zoom in</source>
        <translation>تكبير</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>100 %</source>
        <translation>100 %</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Actual size</source>
        <translation>الحجم الفعلي</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save as…</source>
        <translation>حفظ باسم…</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+108"/>
        <source>Save the picture as</source>
        <translation>حفظ الصورة باسم</translation>
    </message>
    <message>
        <location line="-89"/>
        <source>Loading…</source>
        <translation>جارٍ التحميل…</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>This picture cannot be shown: %1</source>
        <translation>لا يمكن عرض هذه الصورة: %1</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>%1 %  ·  %2 × %3</source>
        <translation>%1 %  ·  %2 × %3</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The picture could not be saved to %1.</source>
        <translation>تعذّر حفظ الصورة في %1.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/mainwindow.cpp" line="+52"/>
        <source>No conversation is open.
Open one with Conversation → Open conversation… (%1).</source>
        <translation>لا توجد محادثة مفتوحة.
افتح محادثة من المحادثة ← فتح محادثة… (%1).</translation>
    </message>
    <message>
        <location line="+99"/>
        <source>Close conversation</source>
        <translation>إغلاق المحادثة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replies in this conversation are not sent yet. They stay saved and are sent when the conversation is open again.</source>
        <translation>لم تُرسل الردود في هذه المحادثة بعد. تبقى محفوظة وتُرسل عند فتح المحادثة مرة أخرى.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Close anyway</source>
        <translation>إغلاق على أي حال</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Agent Console</source>
        <translation>Agent Console</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 — Agent Console</source>
        <translation>%1 — Agent Console</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>(%1) %2</source>
        <translation>(%1) %2</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>&amp;Conversation</source>
        <translation>المحا&amp;دثة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open conversation…</source>
        <translation>فتح محا&amp;دثة…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Close conversation</source>
        <translation>&amp;إغلاق المحادثة</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Next conversation</source>
        <translation>المحادثة &amp;التالية</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Previous conversation</source>
        <translation>المحادثة السا&amp;بقة</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Settings…</source>
        <translation>الإعدادا&amp;ت…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Quit</source>
        <translation>إنها&amp;ء</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Message</source>
        <translation>&amp;الرسالة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Write a reply</source>
        <translation>كتابة &amp;رد</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Attach file…</source>
        <translation>إ&amp;رفاق ملف…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Retry selected reply</source>
        <translation>&amp;إعادة محاولة إرسال الرد المحدد</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Copy message text</source>
        <translation>نسخ نص &amp;الرسالة</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Find in conversation…</source>
        <translation>&amp;بحث في المحادثة…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Find &amp;older match</source>
        <translation>البحث عن مطابقة &amp;أقدم</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Find &amp;newer match</source>
        <translation>البحث عن مطابقة أ&amp;حدث</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Canned &amp;responses</source>
        <translation>ال&amp;ردود الجاهزة</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sends the selected failed reply again</source>
        <translation>يعيد إرسال الرد المحدد الذي فشل إرساله</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copies the text of the selected message</source>
        <translation>ينسخ نص الرسالة المحددة</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Demo</source>
        <translation>عر&amp;ض تجريبي</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Simulate upstream &amp;outage</source>
        <translation>محاكاة &amp;انقطاع الخدمة</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>While checked, the backend cannot reach WhatsApp: replies fail and can be retried.</source>
        <translation>أثناء التفعيل لا يستطيع الخادم الوصول إلى واتساب: يفشل إرسال الردود ويمكن إعادة المحاولة.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Customer &amp;writes</source>
        <translation>العميل &amp;يكتب</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Help</source>
        <translation>مسا&amp;عدة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;اختصارات لوحة المفاتيح</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;About Agent Console</source>
        <translation>حو&amp;ل Agent Console</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About Agent Console</source>
        <translation>حول Agent Console</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agent Console %1
A native console for customer-support agents.</source>
        <translation>Agent Console %1
تطبيق سطح مكتب أصلي لموظفي دعم العملاء.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>No canned responses in this window</source>
        <translation>لا توجد ردود جاهزة في هذه النافذة</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>/%1 — %2</source>
        <translation>/%1 — %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Loading canned responses…</source>
        <translation>جارٍ تحميل الردود الجاهزة…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not load the canned responses: %1</source>
        <translation>تعذّر تحميل الردود الجاهزة: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This account has no canned responses.</source>
        <translation>لا توجد ردود جاهزة لهذا الحساب.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Reload canned responses</source>
        <translation>إعادة &amp;تحميل الردود الجاهزة</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Open Conversation</source>
        <translation>فتح محادثة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conversation id:</source>
        <translation>معرّف المحادثة:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open</source>
        <translation>فتح</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Conversation id</source>
        <translation>معرّف المحادثة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The id of the conversation to open, as the backend names it</source>
        <translation>معرّف المحادثة المراد فتحها كما يسمّيه الخادم</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Opens the conversation with this id</source>
        <translation>يفتح المحادثة التي تحمل هذا المعرّف</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Closes the dialog without opening a conversation</source>
        <translation>يغلق مربع الحوار دون فتح محادثة</translation>
    </message>
</context>
<context>
    <name>MediaBubble</name>
    <message>
        <location filename="../../widgets/mediabubble.cpp" line="+117"/>
        <source>Image</source>
        <translation>صورة</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PDF document</source>
        <translation>مستند PDF</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Audio</source>
        <translation>صوت</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Video</source>
        <translation>فيديو</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Text file</source>
        <translation>ملف نصي</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File</source>
        <translation>ملف</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
</context>
<context>
    <name>MediaFetcher</name>
    <message>
        <location filename="../../conversation/mediafetcher.cpp" line="+27"/>
        <source>The download cannot be kept in the cache folder.</source>
        <translation>لا يمكن حفظ الملف المُنزَّل في مجلد ذاكرة التخزين المؤقت.</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>This file is not on the backend&apos;s own server.</source>
        <translation>هذا الملف ليس على خادم الواجهة الخلفية نفسه.</translation>
    </message>
</context>
<context>
    <name>MediaOpener</name>
    <message>
        <location filename="../../app/mediaopener.cpp" line="+29"/>
        <source>The file could not be downloaded: %1</source>
        <translation>تعذّر تنزيل الملف: %1</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>“%1” is not available.</source>
        <translation>«%1» غير متاح.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>“%1” is not on the backend&apos;s server and is not opened.</source>
        <translation>«%1» ليس على خادم الواجهة الخلفية ولن يُفتح.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>“%1” is not opened: its name does not match what it contains. Save it with Save attachment as… to look at it.</source>
        <translation>لم يُفتح «%1»: اسمه لا يطابق محتواه. احفظه باستخدام «حفظ المرفق باسم…» للاطلاع عليه.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No program on this computer opens “%1”.</source>
        <translation>لا يوجد برنامج على هذا الحاسوب يفتح «%1».</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save the attachment as</source>
        <translation>حفظ المرفق باسم</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The file could not be saved to %1.</source>
        <translation>تعذّر حفظ الملف في %1.</translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <location filename="../../widgets/bubblestyle.cpp" line="+21"/>
        <source>Not sent</source>
        <translation>لم تُرسَل</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Queued</source>
        <translation>في الانتظار</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Retry</source>
        <translation>إعادة المحاولة</translation>
    </message>
    <message>
        <location filename="../../widgets/messagedelegate.cpp" line="+276"/>
        <source>Cannot show this picture</source>
        <translation>لا يمكن عرض هذه الصورة</translation>
    </message>
    <message>
        <location line="+138"/>
        <source>Retry sending message</source>
        <translation>إعادة محاولة إرسال الرسالة</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel the upload (the reply is not sent)</source>
        <translation>إلغاء الرفع (لن يُرسل الرد)</translation>
    </message>
    <message>
        <location filename="../../widgets/messagedelegatetext.cpp" line="+28"/>
        <source>Queued — waiting for an earlier reply</source>
        <translation>في الانتظار — بانتظار رد سابق</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Uploading, %1 %</source>
        <translation>جارٍ الرفع، %1 %</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pending</source>
        <translation>قيد الإرسال</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sent</source>
        <translation>أُرسلت</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delivered</source>
        <translation>تم التسليم</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read</source>
        <translation>مقروءة</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Failed: %1</source>
        <translation>فشل الإرسال: %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>You: %1</source>
        <translation>أنت: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Customer: %1</source>
        <translation>العميل: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>attachment %1</source>
        <translation>مرفق %1</translation>
    </message>
</context>
<context>
    <name>NotificationCenter</name>
    <message>
        <location filename="../../app/notificationcenter.cpp" line="+29"/>
        <source>Conversation %1</source>
        <translation>المحادثة %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sent an attachment</source>
        <translation>أرسل مرفقًا</translation>
    </message>
</context>
<context>
    <name>OutboxStore</name>
    <message>
        <location filename="../../models/outboxstore.cpp" line="+45"/>
        <source>the SQLite driver is missing</source>
        <translation>برنامج تشغيل SQLite غير موجود</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>the file is not a usable database</source>
        <translation>الملف ليس قاعدة بيانات صالحة للاستخدام</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>the folder cannot be created</source>
        <translation>تعذّر إنشاء المجلد</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Unsent replies cannot be saved to %1: %2.</source>
        <translation>تعذّر حفظ الردود غير المرسلة في %1: %2.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Saving unsent replies failed: %1.</source>
        <translation>فشل حفظ الردود غير المرسلة: %1.</translation>
    </message>
</context>
<context>
    <name>QGuiApplication</name>
    <message>
        <location filename="../../app/translations.cpp" line="+11"/>
        <source>QT_LAYOUT_DIRECTION</source>
        <translation>RTL</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/settingsdialog.cpp" line="+18"/>
        <source>Settings — Agent Console</source>
        <translation>الإعدادات — Agent Console</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Leave the token empty to keep the current one. Saving checks the settings by opening the conversation below.</source>
        <translation>اترك الرمز المميز فارغًا للإبقاء على الرمز الحالي. يتحقق الحفظ من الإعدادات بفتح المحادثة أدناه.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Checks the new settings with the backend, then keeps them</source>
        <translation>يتحقق من الإعدادات الجديدة لدى الخادم ثم يحفظها</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign out</source>
        <translation>تسجيل الخروج</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Removes the token from the keychain</source>
        <translation>يزيل الرمز المميز من سلسلة المفاتيح</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Closes the dialog and keeps the current settings</source>
        <translation>يغلق مربع الحوار ويُبقي على الإعدادات الحالية</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Could not sign out: %1</source>
        <translation>تعذّر تسجيل الخروج: %1</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../../app/shortcutsdialog.cpp" line="+14"/>
        <source>Keyboard Shortcuts</source>
        <translation>اختصارات لوحة المفاتيح</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Action</source>
        <translation>الإجراء</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Shortcut</source>
        <translation>الاختصار</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Keyboard shortcuts</source>
        <translation>اختصارات لوحة المفاتيح</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Each action of the window with the keys that run it</source>
        <translation>كل إجراء في النافذة مع المفاتيح التي تنفّذه</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Closes the list of shortcuts</source>
        <translation>يغلق قائمة الاختصارات</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../app/signindialog.cpp" line="+17"/>
        <source>Sign in — Agent Console</source>
        <translation>تسجيل الدخول — Agent Console</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sign in to your chat backend. The token is kept in the system keychain.</source>
        <translation>سجّل الدخول إلى خادم الدردشة. يُحفظ الرمز المميز في سلسلة مفاتيح النظام.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sign in</source>
        <translation>تسجيل الدخول</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Checks the address, tenant and token with the backend, then signs in</source>
        <translation>يتحقق من العنوان والمستأجر والرمز المميز لدى الخادم ثم يسجّل الدخول</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Closes the dialog without signing in</source>
        <translation>يغلق مربع الحوار دون تسجيل الدخول</translation>
    </message>
</context>
<context>
    <name>SingleInstance</name>
    <message>
        <location filename="../../app/singleinstance.cpp" line="+168"/>
        <source>Agent Console is already running (process %1) but does not answer. Close it and start again.</source>
        <translation>Agent Console يعمل بالفعل (العملية %1) لكنه لا يستجيب. أغلقه وابدأ من جديد.</translation>
    </message>
</context>
<context>
    <name>SocketIoClient</name>
    <message>
        <location filename="../../net/socketioclient.cpp" line="+111"/>
        <source>The sign-in data is larger than the server accepts (maxPayload).</source>
        <translation>بيانات تسجيل الدخول أكبر مما يقبله الخادم (maxPayload).</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>The server refused the connection.</source>
        <translation>رفض الخادم الاتصال.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server closed the connection.</source>
        <translation>أغلق الخادم الاتصال.</translation>
    </message>
</context>
<context>
    <name>ThumbnailCache</name>
    <message>
        <location filename="../../widgets/thumbnailcache.cpp" line="+54"/>
        <source>The picture is not available.</source>
        <translation>الصورة غير متاحة.</translation>
    </message>
</context>
<context>
    <name>TokenStore</name>
    <message>
        <location filename="../../app/tokenstore.cpp" line="+131"/>
        <source>The keychain refused access: %1</source>
        <translation>رفضت سلسلة المفاتيح الوصول: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No keychain is available (%1). The token is kept for this session only and must be entered again after a restart.</source>
        <translation>لا تتوفر سلسلة مفاتيح (%1). يُحفظ الرمز المميز لهذه الجلسة فقط ويجب إدخاله مجددًا بعد إعادة التشغيل.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no Secret Service</source>
        <translation>لا توجد خدمة Secret Service</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <location filename="../../app/trayicon.cpp" line="+25"/>
        <source>&amp;Show Agent Console</source>
        <translation>&amp;إظهار Agent Console</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Quit</source>
        <translation>إنها&amp;ء</translation>
    </message>
    <message numerus="yes">
        <location line="+49"/>
        <source>%n unread</source>
        <translation>
            <numerusform>لا رسائل غير مقروءة</numerusform>
            <numerusform>رسالة واحدة غير مقروءة</numerusform>
            <numerusform>رسالتان غير مقروءتين</numerusform>
            <numerusform>%n رسائل غير مقروءة</numerusform>
            <numerusform>%n رسالة غير مقروءة</numerusform>
            <numerusform>%n رسالة غير مقروءة</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n not sent</source>
        <translation>
            <numerusform>لا ردود غير مرسلة</numerusform>
            <numerusform>رد واحد غير مرسل</numerusform>
            <numerusform>ردّان غير مرسلين</numerusform>
            <numerusform>%n ردود غير مرسلة</numerusform>
            <numerusform>%n ردًا غير مرسل</numerusform>
            <numerusform>%n رد غير مرسل</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agent Console</source>
        <translation>Agent Console</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
</context>
<context>
    <name>WidgetApiClient</name>
    <message>
        <location filename="../../net/widgetapiclient.cpp" line="+69"/>
        <source>The secure connection to %1 failed: %2</source>
        <translation>فشل الاتصال الآمن بـ %1: %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The certificate of %1 is not trusted: %2</source>
        <translation>شهادة %1 غير موثوق بها: %2</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The server did not answer in time.</source>
        <translation>لم يُجب الخادم في الوقت المحدد.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot reach the server: %1</source>
        <translation>تعذّر الوصول إلى الخادم: %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The server&apos;s reply is larger than %1 MiB and was not read.</source>
        <translation>استجابة الخادم أكبر من %1 MiB ولم تُقرأ.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The server redirected the request (HTTP %1); redirects are not followed.</source>
        <translation>أعاد الخادم توجيه الطلب (HTTP %1)؛ لا تُتَّبع عمليات إعادة التوجيه.</translation>
    </message>
    <message>
        <location line="+220"/>
        <source>The file is larger than %1 MiB and was not downloaded.</source>
        <translation>حجم الملف أكبر من %1 MiB ولم يُنزَّل.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+3"/>
        <source>The download cannot be saved: %1</source>
        <translation>لا يمكن حفظ التنزيل: %1</translation>
    </message>
    <message>
        <location filename="../../net/widgetapiupload.cpp" line="+64"/>
        <source>The attached file cannot be read: %1</source>
        <translation>لا يمكن قراءة الملف المرفق: %1</translation>
    </message>
</context>
<context>
    <name>Wire</name>
    <message>
        <location filename="../../net/wirejson.cpp" line="+270"/>
        <location line="+8"/>
        <location line="+10"/>
        <location line="+53"/>
        <source>The server&apos;s reply is not JSON (%1).</source>
        <translation>استجابة الخادم ليست بتنسيق JSON (%1).</translation>
    </message>
    <message>
        <location line="-64"/>
        <location line="+68"/>
        <source>The server&apos;s reply is not a JSON object.</source>
        <translation>استجابة الخادم ليست كائن JSON.</translation>
    </message>
    <message>
        <location line="-22"/>
        <source>The conversation context has no wa_id.</source>
        <translation>سياق المحادثة لا يحتوي على wa_id.</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>The canned responses reply has no list.</source>
        <translation>لا يحتوي رد الردود الجاهزة على قائمة.</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>The history reply has no message list.</source>
        <translation>استجابة السجل لا تحتوي على قائمة رسائل.</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>The server answered with HTTP status %1.</source>
        <translation>أجاب الخادم برمز حالة HTTP %1.</translation>
    </message>
    <message>
        <location filename="../../net/mediajson.cpp" line="+67"/>
        <source>The server&apos;s upload answer has no usable mediaUrl.</source>
        <translation>لا يحتوي رد الخادم على الرفع على mediaUrl صالح.</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <location filename="../../app/workspace.cpp" line="+158"/>
        <source>Sent an attachment</source>
        <translation>أرسل مرفقًا</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Attachment</source>
        <translation>مرفق</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>You: %1</source>
        <translation>أنت: %1</translation>
    </message>
</context>
</TS>
