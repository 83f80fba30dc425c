package dev.runway.notifier.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a field that receives the running {@link TestEndpoints} or {@code GreenMail} of {@link NotifierEndpointsResource}. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InjectEndpoints {
}
