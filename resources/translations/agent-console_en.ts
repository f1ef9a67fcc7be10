<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>Composer</name>
    <message numerus="yes">
        <location filename="../../widgets/composer.cpp" line="+381"/>
        <source>This reply is %Ln character(s) too long: WhatsApp takes at most %1 characters. Shorten it to send.</source>
        <translation>
            <numerusform>This reply is %Ln character too long: WhatsApp takes at most %1 characters. Shorten it to send.</numerusform>
            <numerusform>This reply is %Ln characters too long: WhatsApp takes at most %1 characters. Shorten it to send.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConversationListModel</name>
    <message numerus="yes">
        <location filename="../../models/conversationlistmodel.cpp" line="+61"/>
        <source>, %n unread</source>
        <translation>
            <numerusform>, %n unread</numerusform>
            <numerusform>, %n unread</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>, %n not sent</source>
        <translation>
            <numerusform>, %n not sent</numerusform>
            <numerusform>, %n not sent</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FailedRepliesBar</name>
    <message numerus="yes">
        <location filename="../../widgets/failedrepliesbar.cpp" line="+53"/>
        <source>%n replies not sent</source>
        <translation>
            <numerusform>%n reply not sent</numerusform>
            <numerusform>%n replies not sent</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message numerus="yes">
        <location filename="../../widgets/findbar.cpp" line="+125"/>
        <source>Searching older messages… %Ln loaded</source>
        <translation>
            <numerusform>Searching older messages… %Ln loaded</numerusform>
            <numerusform>Searching older messages… %Ln loaded</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message numerus="yes">
        <location filename="../../app/trayicon.cpp" line="+77"/>
        <source>%n unread</source>
        <translation>
            <numerusform>%n unread</numerusform>
            <numerusform>%n unread</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n not sent</source>
        <translation>
            <numerusform>%n not sent</numerusform>
            <numerusform>%n not sent</numerusform>
        </translation>
    </message>
</context>
</TS>
