package app.fivestar.platform.web;

import app.fivestar.platform.problem.ProblemException;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A query or path parameter of an enum type with a value not among its constants is a 400 naming the allowed values
 * (Jakarta REST's default is a bare 404, as though the address did not exist).
 */
@Provider
public class EnumParams implements ParamConverterProvider {

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        if (!rawType.isEnum()) {
            return null;
        }
        Class<? extends Enum> type = (Class<? extends Enum>) rawType;
        return new ParamConverter<>() {
            @Override
            public T fromString(String value) {
                if (value == null || value.isEmpty()) {
                    return null;
                }
                try {
                    return (T) Enum.valueOf(type, value);
                } catch (IllegalArgumentException e) {
                    String allowed = Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name()).collect(Collectors.joining("、"));
                    throw new BadRequestException(new ProblemException(400, "bad-request", "请求无效", "不认识的取值“" + value + "”，只能是 " + allowed));
                }
            }

            @Override
            public String toString(T value) {
                return value == null ? null : ((Enum<?>) value).name();
            }
        };
    }
}
