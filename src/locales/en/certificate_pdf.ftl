## The certificate PDF (A4 landscape)
certificate-pdf-title = Certificate
certificate-pdf-subtitle = of professional development
certificate-pdf-intro = This is to certify that
certificate-pdf-completed = has completed the course
certificate-pdf-course-title = “{ $course }”
certificate-pdf-hours = { $hours ->
    [one] { $hours } academic hour
   *[other] { $hours } academic hours
}
certificate-pdf-issued-on = Date of issue
certificate-pdf-serial = Certificate number
certificate-pdf-issuer = Issued by
certificate-pdf-verify = Scan the QR code or open the link to verify this certificate:
certificate-pdf-document-title = Certificate: { $name }
certificate-pdf-qr-alt = QR code of the verification link: { $url }
